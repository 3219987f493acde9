"""Fixtures shared by the tests of programs, cycles, applications, evidence, bureau and dashboard
(imported by their tests/conftest.py). Cycles are dated around today so the pages, which use the
real date, accept them; tests of specific dates pass `today=` to the actions."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.applications.actions import do_open_application
from pingjian.web.conftest import make_user
from pingjian.web.cycles.actions import do_create_cycle
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.counties import County
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion

TODAY = dt.date.today()


@pytest.fixture
def programs(db):
    do_load_program_files(actor=None)
    return {v.program_id: v for v in ProgramVersion.objects.published()}


def make_cycle(version, office, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "title": f"{version.title}（測試梯次）",
        "application_opens": TODAY - dt.timedelta(days=10),
        "application_closes": TODAY + dt.timedelta(days=30),
        "visit_opens": TODAY + dt.timedelta(days=45),
        "visit_closes": TODAY + dt.timedelta(days=200),
    }
    values.update(overrides)
    return do_create_cycle(version, actor=office, **values)


@pytest.fixture
def postpartum_cycle(programs, office):
    return make_cycle(
        programs["postpartum-111"],
        office,
        preliminary_review_due=TODAY + dt.timedelta(days=40),
        remediation_due=TODAY + dt.timedelta(days=60),
    )


@pytest.fixture
def jct_cycle(programs, office):
    return make_cycle(programs["aesthetic-clinic-112"], office)


@pytest.fixture
def application(postpartum_cycle, ours, office):
    """The institution user's postpartum application, a draft opened by the office."""
    return do_open_application(postpartum_cycle, ours, actor=office)


@pytest.fixture
def their_application(postpartum_cycle, office, db):
    other = do_create_institution(
        actor=None,
        code="0290000003",
        name="康寧產後護理之家",
        type=InstitutionType.POSTPARTUM_HOME,
        county=County.KAOHSIUNG,
        address="高雄市左營區博愛二路3號",
        opened_on=dt.date(2016, 1, 1),
    )
    return do_open_application(postpartum_cycle, other, actor=office)


@pytest.fixture
def clinic(db):
    return do_create_institution(
        actor=None,
        code="0130000004",
        name="晶漾美學診所",
        type=InstitutionType.CLINIC,
        county=County.TAIPEI,
        address="臺北市信義區松仁路4號",
        opened_on=dt.date(2018, 1, 1),
    )


@pytest.fixture
def clinic_user(clinic):
    return make_user("clinic", "institution", institution=clinic)
