"""Fixtures for the web tests: one user per role, two institutions in different counties
(ours and theirs), and helpers. Tests use the real database (SQLite in memory, or PostgreSQL via
DATABASE_URL) and the real actions, so every fixture also writes audit events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from pingjian.web.accounts.actions import do_grant_membership
from pingjian.web.accounts.models import User
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.counties import County
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, role: str | None = None, **grant) -> User:
    user = User.objects.create(username=username, display_name=username, password=make_password(PASSWORD))
    if role:
        do_grant_membership(user, role=role, actor=None, **grant)
    return user


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


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
