from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from pingjian.web.accounts.models import User
from pingjian.web.audit.chain import verify_chain
from pingjian.web.dashboard.demo import DemoModeRequiredError, seed_demo
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.registry.models import Certificate, RegistryEntry
from pingjian.web.visits.models import Visit
from tests.web.support import client_for

ROLES = ["office", "admin", "institution", "clinic", "surveyor", "bureau", "nhi"]


@pytest.fixture
def demo_mode(settings):
    settings.DEMO = True


def test_seeding_gives_40_institutions_of_every_type_several_counties_and_every_account(db, demo_mode):
    seed_demo()
    assert Institution.objects.count() == 40
    assert set(Institution.objects.values_list("type", flat=True)) == set(InstitutionType.values)
    assert Institution.objects.values("county").distinct().count() >= 5
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == set(ROLES)
    assert RegistryEntry.objects.exists()
    assert verify_chain().ok


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


def test_the_demo_cycle_has_scheduled_visits_and_the_surveyor_sees_theirs(db, demo_mode):
    seed_demo()
    visits = Visit.objects.filter(application__cycle__title__startswith="產後護理之家評鑑（示範梯次")
    assert visits.exists()
    surveyor = User.objects.get(username="surveyor")
    # the page lists the visits ahead (即將進行); the one scored eleven days ago is past
    from pingjian.web.core.clock import local_today

    mine = visits.filter(members__surveyor=surveyor, day__gte=local_today()).select_related(
        "application__institution"
    )
    assert mine.exists()
    page = client_for(surveyor).get("/visits/").content.decode()
    assert mine.first().application.institution.name in page


def test_demo_registry_validity_comes_from_the_rules_core(db, demo_mode):
    """Issue 21 item 8: postpartum-111 ends at the seed's longest, 115/12/31 (seed 002 §十三), the
    JCT certification 3 years from the decision (seed 000), and the psych programs have no end:
    seed 003 states no validity period."""
    import datetime as dt

    seed_demo()
    ends = {
        (e.program_id, e.valid_from, e.valid_until)
        for e in RegistryEntry.objects.filter(program_id__in=["postpartum-111", "aesthetic-clinic-112"])
    }
    assert ends == {
        ("postpartum-111", dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
        ("aesthetic-clinic-112", dt.date(2023, 9, 15), dt.date(2026, 9, 14)),
    }
    psych = RegistryEntry.objects.filter(program_id__startswith="psych-rehab-")
    assert psych.exists() and not psych.filter(valid_until__isnull=False).exists()
    # issue 14: every entry came through do_publish_result: one certificate per passing result,
    # and a certificate of every program the demo evaluates
    assert Certificate.objects.count() == RegistryEntry.objects.count()
    assert set(Certificate.objects.values_list("program_id", flat=True)) == {
        "postpartum-111", "psych-rehab-day-107", "psych-rehab-residential-107",
        "aesthetic-clinic-112", "cell-therapy-clinic-112",
    }  # fmt: skip
