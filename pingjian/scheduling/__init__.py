"""Site-visit scheduling (實地訪查排程) with a constraint solver: visits in their window on working
days of the official calendar, teams of the expertise the program needs, no surveyor twice in one
half-day, no conflicted surveyor, pins kept, closures re-planned. Plain Python over the rules
core's calendar; the web app asks it and stores what it answers."""

from .problem import Pin, Placement, Problem, Role, Schedule, SchedulingError, Slot, Surveyor, VisitRequest
from .solver import replan_closure, solve

__all__ = [
    "Pin",
    "Placement",
    "Problem",
    "Role",
    "Schedule",
    "SchedulingError",
    "Slot",
    "Surveyor",
    "VisitRequest",
    "replan_closure",
    "solve",
]
