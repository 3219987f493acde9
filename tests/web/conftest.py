"""Fixtures for the web tests: one user per role, two institutions in different counties
(ours and theirs), programs loaded, cycles and applications. Tests use the real database (SQLite in
memory, or PostgreSQL via DATABASE_URL) and the real actions, so every fixture also writes audit
events. Plain helpers (make_user, client_for, make_cycle, run_jobs, …) are in support.py."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.applications.actions import do_open_application
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict

from .support import TODAY, make_cycle, make_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ours(db):
    """A postpartum care home in Taipei: the institution user's own."""
    return do_create_institution(
        actor=None, code="0190000001", name="安心產後護理之家", type=InstitutionType.POSTPARTUM_HOME,
        county=County.TAIPEI, address="臺北市大安區復興南路一段1號", opened_on=dt.date(2015, 3, 1),
        owner_name="王美玲", owner_since=dt.date(2015, 3, 1),
    )  # fmt: skip


@pytest.fixture
def theirs(db):
    """A dental clinic in Kaohsiung: someone else's, in another county."""
    return do_create_institution(
        actor=None, code="0250000002", name="微笑牙醫診所", type=InstitutionType.DENTAL_CLINIC,
        county=County.KAOHSIUNG, address="高雄市苓雅區四維三路2號", opened_on=dt.date(2012, 5, 1),
    )  # fmt: skip


@pytest.fixture
def office(db):
    return make_user("office", "office")


@pytest.fixture
def program_admin(db):
    return make_user("admin", "program_admin")


@pytest.fixture
def institution_user(ours):
    return make_user("inst", "institution", institution=ours)


@pytest.fixture
def bureau(db):
    return make_user("bureau", "bureau", county=County.TAIPEI)


@pytest.fixture
def nhi(db):
    return make_user("nhi", "nhi")


@pytest.fixture
def surveyor(ours, office):
    user = make_user("surveyor", "surveyor")
    do_assign_surveyor(user, ours, actor=office)
    return user


@pytest.fixture
def conflicted_surveyor(ours, theirs, office):
    """Assigned to both institutions, then declared a conflict with `theirs`."""
    user = make_user("conflicted", "surveyor")
    do_assign_surveyor(user, ours, actor=office)
    do_assign_surveyor(user, theirs, actor=office)
    do_declare_conflict(user, theirs, actor=user, reason="曾任顧問")
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but holding no role."""
    return make_user("outsider")


@pytest.fixture
def role_users(office, program_admin, institution_user, surveyor, bureau, nhi, outsider):
    return {
        "office": office,
        "program_admin": program_admin,
        "institution": institution_user,
        "surveyor": surveyor,
        "bureau": bureau,
        "nhi": nhi,
        "outsider": outsider,
    }


@pytest.fixture
def programs(db):
    do_load_program_files(actor=None)
    return {v.program_id: v for v in ProgramVersion.objects.published()}


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
