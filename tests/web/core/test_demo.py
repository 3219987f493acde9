from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from pingjian.web.accounts.models import User
from pingjian.web.audit.chain import verify_chain
from pingjian.web.dashboard.demo import DemoModeRequiredError, seed_demo
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.registry.models import RegistryEntry

ROLES = ["office", "admin", "institution", "clinic", "surveyor", "bureau", "nhi"]


@pytest.fixture
def demo_mode(settings):
    settings.DEMO = True


def test_seeding_gives_40_institutions_of_every_type_several_counties_and_every_account(db, demo_mode):
    started = time.perf_counter()
    seed_demo()
    elapsed = time.perf_counter() - started
    assert Institution.objects.count() == 40
    assert set(Institution.objects.values_list("type", flat=True)) == set(InstitutionType.values)
    assert Institution.objects.values("county").distinct().count() >= 5
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == set(ROLES)
    assert RegistryEntry.objects.exists()
    assert verify_chain().ok
    assert elapsed < 5


def test_seeding_twice_changes_nothing(db, demo_mode):
    seed_demo()
    counts = (Institution.objects.count(), User.objects.count(), RegistryEntry.objects.count())
    from pingjian.web.audit.models import AuditEvent

    events = AuditEvent.objects.count()
    call_command("seed_demo")
    assert (Institution.objects.count(), User.objects.count(), RegistryEntry.objects.count()) == counts
    assert AuditEvent.objects.count() == events


def test_seeding_is_refused_outside_demo_mode(db, settings):
    settings.DEMO = False
    with pytest.raises(DemoModeRequiredError):
        seed_demo()
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ROLES)
def test_each_demo_account_signs_in_and_sees_its_dashboard(db, demo_mode, username):
    seed_demo()
    client = Client()
    assert client.login(username=username, password="pingjian-demo")
    body = client.get("/dashboard/").content.decode()
    assert "工作台" in body and "年" in body


def test_demo_accounts_are_listed_on_the_login_page_only_in_demo_mode(db, settings):
    settings.DEMO = True
    seed_demo()
    assert "pingjian-demo" in Client().get("/accounts/login/").content.decode()
    settings.DEMO = False
    assert "pingjian-demo" not in Client().get("/accounts/login/").content.decode()


def test_demo_accounts_cannot_sign_in_outside_demo_mode(db, settings):
    settings.DEMO = True
    seed_demo()
    settings.DEMO = False
    assert not Client().login(username="office", password="pingjian-demo")


def test_the_demo_surveyor_does_not_see_the_conflicted_institution(db, demo_mode):
    from pingjian.web.visits.models import ConflictOfInterest

    data = seed_demo()
    conflict = ConflictOfInterest.objects.get(surveyor=data.users["surveyor"])
    client = Client()
    client.force_login(data.users["surveyor"])
    assert client.get(f"/institutions/{conflict.institution.code}/").status_code == 404
