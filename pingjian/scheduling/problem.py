"""What the visit scheduler is asked: visits to place, surveyors to staff them, and what binds both.

Time is counted in half-days (上午／下午) of the official office calendar: a visit of the length
the program sets (postpartum: 3 hours, seed 002 §十(二), one half-day) takes one or more
consecutive half-days of one working day of its institution's county. A team is one surveyor per
role; a role is the set of expertise any of which fills it (postpartum: 醫護 — nursing or
midwifery — and 管理與環境安全, seed 002 §四(一)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pingjian.rules.errors import PingjianError

Half = Literal["am", "pm"]
HALVES: tuple[Half, Half] = ("am", "pm")
HALF_LABELS = {"am": "上午", "pm": "下午"}


class SchedulingError(PingjianError):
    """A visit that no schedule can place, named with the reason."""


@dataclass(frozen=True, order=True)
class Slot:
    """The half-day a visit starts."""

    day: dt.date
    half: Half

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {HALF_LABELS[self.half]}"


@dataclass(frozen=True)
class Surveyor:
    id: str
    expertise: frozenset[str]
    # Programs the surveyor may survey, having attended that cycle's consensus meeting
    # (評鑑委員共識會議: a surveyor who has not attended cannot be assigned, seed 002 §四(一)).
    programs: frozenset[str]
    # Half-days the surveyor is available; None: every half-day.
    available: frozenset[Slot] | None = None


@dataclass(frozen=True)
class Role:
    label: str
    expertise: frozenset[str]


@dataclass(frozen=True)
class VisitRequest:
    id: str
    institution: str
    county: str  # the calendar county (臺北市 …): its closures close its visits
    program: str
    window: tuple[dt.date, dt.date]  # first and last day, inclusive
    team: tuple[Role, ...]
    half_days: int = 1


@dataclass(frozen=True)
class Pin:
    """What staff fixed by hand: the solver keeps it (the slot, surveyors in any role, surveyors in
    a named role — e.g. a whole team kept through a re-plan)."""

    visit: str
    slot: Slot | None = None
    surveyors: frozenset[str] = frozenset()
    roles: frozenset[tuple[str, str]] = frozenset()  # (role label, surveyor id)


@dataclass(frozen=True)
class Problem:
    visits: tuple[VisitRequest, ...]
    surveyors: tuple[Surveyor, ...]
    conflicts: frozenset[tuple[str, str]] = frozenset()  # (surveyor id, institution)
    pins: tuple[Pin, ...] = ()


@dataclass(frozen=True)
class Placement:
    visit: str
    slot: Slot
    team: dict[str, str] = field(default_factory=dict)  # role label → surveyor id


@dataclass(frozen=True)
class Schedule:
    placements: dict[str, Placement]
    optimal: bool
    seconds: float
    # counties beyond the first that a surveyor visits in a day, summed: kept as few as possible
    county_changes: int = 0
