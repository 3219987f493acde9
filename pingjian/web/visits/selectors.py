"""What other apps read of visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pingjian.rules.roc import to_roc_year
from pingjian.web.cycles.models import Cycle

from .models import ConfidentialityAgreement, ConsensusAttendance, Half, SurveyorProfile, Visit, VisitMember


def program_family(program_id: str) -> str:
    """postpartum for postpartum-111: the roster names programs across their yearly versions."""
    return program_id.rsplit("-", 1)[0]


def team_ids_of(application: Any) -> set[int]:
    """The user ids of APPLICATION's site-visit team (the original team an appeal's re-review
    must leave out)."""
    return set(
        VisitMember.objects.filter(visit__application=application).values_list("surveyor_id", flat=True)
    )


def consensus_attendees(cycle: Any) -> set[int]:
    """The user ids of the surveyors who attended CYCLE's consensus meeting (評鑑委員共識會議)."""
    return set(cycle.consensus_attendance.values_list("surveyor_id", flat=True))


def may_be_planned(profile: Any, family: str, user_id: int, attended: set[int]) -> bool:
    """Whether the planner may put a surveyor on a team of a cycle of program FAMILY: on the roster
    for the program and present at the cycle's consensus meeting (seed 002 §四(一)). The planner and
    the surveyor's own readiness block both ask this one question."""
    return profile is not None and family in profile.programs and user_id in attended


def cleared_surveyors(cycle: Any) -> list[Any]:
    """The surveyors the planner may put on a team of CYCLE (`may_be_planned`), by name: whom the
    office may choose from when it changes a team by hand."""
    family = program_family(cycle.program_id)
    attended = consensus_attendees(cycle)
    profiles = SurveyorProfile.objects.filter(surveyor_id__in=attended).select_related("surveyor")
    return sorted(
        (
            p.surveyor
            for p in profiles
            if p.surveyor.is_active and may_be_planned(p, family, p.surveyor_id, attended)
        ),
        key=lambda u: (str(u), u.pk),
    )


def program_year_of(cycle: Any) -> int:
    """The ROC program year a surveyor accepts confidentiality for to work on CYCLE: the year its
    visit period opens (112 for visits opening in 2023). `readiness` and `has_pledged` both count
    it so."""
    return to_roc_year(cycle.visit_opens.year)


def has_pledged(user: Any, visit: Any) -> bool:
    """Whether USER has accepted confidentiality (保密同意) for the program year of VISIT's cycle:
    seed 002 §四(二) binds a surveyor to keep what the evaluation shows them confidential, and
    the assessments actions refuse a surveyor's scores, notes and opinions without it."""
    return ConfidentialityAgreement.objects.filter(
        surveyor=user, program_year=program_year_of(visit.application.cycle)
    ).exists()


def pledge_years(surveyor: Any, today: Any, ready: list[dict[str, Any]] | None = None) -> set[int]:
    """The ROC years SURVEYOR may accept confidentiality for: this year's, those of the open cycles
    of their programs (`readiness`, or READY when the caller has it), and those of the cycles of the
    visits they are on the team of (a visit whose cycle opened last year is scored under last
    year's pledge)."""
    ready = readiness(surveyor, today) if ready is None else ready
    years = {to_roc_year(today.year)} | {row["program_year"] for row in ready}
    opened = Visit.objects.filter(members__surveyor=surveyor).values_list(
        "application__cycle__visit_opens", flat=True
    )
    return years | {to_roc_year(day.year) for day in opened}


def pledges_due(
    surveyor: Any, today: Any, ready: list[dict[str, Any]], *, asked: int | None = None
) -> list[int]:
    """Beyond this year's, the years SURVEYOR's own page offers to accept confidentiality for:
    those of the open cycles of their programs not yet accepted (READY: their `readiness`, which
    the page shows too), and ASKED (the year a scoring page sent them to accept) when it is one of
    `pledge_years`."""
    accepted = set(
        ConfidentialityAgreement.objects.filter(surveyor=surveyor).values_list("program_year", flat=True)
    )
    due = {row["program_year"] for row in ready}
    if asked is not None and asked in pledge_years(surveyor, today, ready):
        due.add(asked)
    return sorted(due - accepted - {to_roc_year(today.year)})


def readiness(surveyor: Any, today: Any) -> list[dict[str, Any]]:
    """Per open cycle (visit period not yet over) of the programs SURVEYOR may survey: the consensus
    meeting attended (and when), the confidentiality pledge for the cycle's ROC year, and whether the
    planner may assign them."""
    profile = SurveyorProfile.objects.filter(surveyor=surveyor).first()
    if profile is None:
        return []
    accepted = set(
        ConfidentialityAgreement.objects.filter(surveyor=surveyor).values_list("program_year", flat=True)
    )
    attended_on = dict(
        ConsensusAttendance.objects.filter(surveyor=surveyor).values_list("cycle_id", "attended_on")
    )
    rows = []
    for cycle in Cycle.objects.filter(visit_closes__gte=today).select_related("program_version"):
        family = program_family(cycle.program_id)
        if family not in profile.programs:
            continue
        year = program_year_of(cycle)
        rows.append(
            {
                "cycle": cycle,
                "attended_on": attended_on.get(cycle.pk),
                "program_year": year,
                "pledged": year in accepted,
                "cleared": may_be_planned(profile, family, surveyor.pk, consensus_attendees(cycle)),
            }
        )
    return rows


def visit_slots_of(user: Any, applications: Iterable[Any]) -> dict[int, tuple[dt.date, str]]:
    """Application pk → (day, half-day label) of its scheduled site visit, for the APPLICATIONS
    whose visit USER may see (an application without a visit is absent)."""
    ids = [a.pk for a in applications]
    rows = (
        Visit.objects.visible_to(user)
        .filter(application_id__in=ids)
        .values_list("application_id", "day", "half")
    )
    return {pk: (day, str(Half(half).label)) for pk, day, half in rows}
