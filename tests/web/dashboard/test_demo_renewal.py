"""The demo shows a JCT renewal (續約) in any year: one cell-therapy clinic whose certificate, dated
from the seeding day, is in force and in its last 12 months (seed 000 認證效期「通過者3年」), gone
the real way to the registry (finalisation → registry.actions.do_publish_result), its renewal
opened in the current cycle and linked both ways."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.core.clock import local_today
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.dashboard.demo.cycles import CURRENT_JCT_TITLE
from pingjian.web.dashboard.demo.renewal import EARLIER_TITLE
from pingjian.web.decisions.models import Decision
from pingjian.web.registry.selectors import passing_entry_of
from tests.web.support import client_for


def _assert_renewal_in_force(data) -> tuple[Application, Application]:  # type: ignore[no-untyped-def]
    today = local_today()
    renewal = Application.objects.select_related("renews").get(renews__isnull=False)
    old = renewal.renews
    assert renewal.cycle.title == CURRENT_JCT_TITLE and renewal.state == State.DRAFT
    assert renewal.institution == old.institution and old.cycle.title == EARLIER_TITLE
    # the old one went the real way: a decision approved and finalised, published with its certificate
    decision = Decision.objects.get(application=old)
    assert old.state == State.FINAL and old.result == "pass" and decision.published
    entry = passing_entry_of(old.institution, "cell-therapy-clinic-112")
    assert entry is not None and hasattr(entry, "certificate")
    assert (entry.valid_from, entry.valid_until) == (decision.valid_from, decision.valid_until)
    # in force today and in its last 12 months (seed 000: 3 years from the decision)
    first, last = actions.renewal_window(old)
    assert first <= today < last and last - today <= dt.timedelta(days=365)
    assert entry.valid_until == entry.valid_from.replace(year=entry.valid_from.year + 3) - dt.timedelta(1)
    return old, renewal


@pytest.mark.slow
def test_the_demo_has_a_clinic_in_its_last_12_months_with_its_renewal_opened(db, demo):
    old, renewal = _assert_renewal_in_force(demo)
    office = client_for(demo.users["office"])
    listed = office.get("/applications/", {"q": old.institution.name}).content.decode()
    marker = listed[listed.index('data-testid="renews-marker"') :]
    assert f'href="/applications/{old.pk}/"' in marker[: marker.index("</small>")]
    assert f"/applications/{renewal.pk}/" in office.get(f"/applications/{old.pk}/").content.decode()
    assert f"/applications/{old.pk}/" in office.get(f"/applications/{renewal.pk}/").content.decode()
    counts = (Application.objects.count(), Decision.objects.count())
    seed_demo()
    assert (Application.objects.count(), Decision.objects.count()) == counts


@pytest.mark.slow
@pytest.mark.parametrize("day", [dt.datetime(2027, 2, 28, 2, tzinfo=dt.UTC)])
def test_seeded_in_a_later_year_the_renewal_is_still_in_its_window(db, settings, tmp_path, day):
    """Seeded on another day (in 2027: the working-day calendar the demo's other cases need is
    loaded to 2027), the certificate is still in force and in its last 12 months."""
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(day, tick=False):
        _assert_renewal_in_force(seed_demo())
