"""A site visit with its team, for any of the five visit-based programs."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pingjian.web.applications.actions import do_open_application
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.visits.models import Visit, VisitMember
from tests.web.support import make_cycle, make_user, pledge

VISIT_PROGRAMS = {
    "aesthetic-clinic-112": InstitutionType.CLINIC,
    "cell-therapy-clinic-112": InstitutionType.CLINIC,
    "postpartum-111": InstitutionType.POSTPARTUM_HOME,
    "psych-rehab-day-107": InstitutionType.PSYCH_REHAB_DAY,
    "psych-rehab-residential-107": InstitutionType.PSYCH_REHAB_RESIDENTIAL,
}
_codes = itertools.count(1)


def make_visit(
    programs, office, program_id: str, *, day: dt.date | None = None, team=(), pledged: bool = True
) -> Visit:
    """An application of PROGRAM_ID by a new institution, its visit on DAY with TEAM; each member
    has accepted confidentiality for the cycle's program year unless not PLEDGED."""
    n = next(_codes)
    institution = do_create_institution(
        actor=None, code=f"01{n:08d}", name=f"受評機構{n}", type=VISIT_PROGRAMS[program_id],
        county=County.TAIPEI, address="臺北市中正區重慶南路一段1號", opened_on=dt.date(2010, 1, 1),
    )  # fmt: skip
    cycle = make_cycle(programs[program_id], office)
    application = do_open_application(cycle, institution, actor=office)
    visit = Visit.objects.create(application=application, day=day or dt.date(2022, 8, 15), half="am")
    for role, member in team:
        VisitMember.objects.create(visit=visit, surveyor=member, role=role)
        if pledged:
            pledge(member, cycle)
    return visit


@pytest.fixture
def nurse(db):
    return make_user("nurse", "surveyor")


@pytest.fixture
def safety(db):
    return make_user("safety", "surveyor")


@pytest.fixture
def visit(programs, office, nurse, safety):
    """A postpartum visit with a nursing member and a safety member."""
    return make_visit(programs, office, "postpartum-111", team=[("醫護", nurse), ("管理與環境安全", safety)])


def advance_to_visited(application, office, institution_user):
    """APPLICATION submitted, accepted, its visit scheduled on a working day and recorded."""
    from pingjian.rules.workcal import WorkingDayCalendar
    from pingjian.web.applications.actions import fire

    for name, actor in (("submit", institution_user), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    day = dt.date.today() + dt.timedelta(days=60)
    while not WorkingDayCalendar.load().is_workday(day, "臺北市"):
        day += dt.timedelta(days=1)
    fire(application, "request_evidence", actor=office, visit_date=day)
    fire(application, "schedule_visit", actor=office, visit_date=day)
    fire(application, "record_visit", actor=office, today=day)
    application.refresh_from_db()
    return application
