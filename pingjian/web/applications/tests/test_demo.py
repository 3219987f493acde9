"""The demo seeding extension: cycles, and applications in every state, idempotent, chain intact."""

from __future__ import annotations

import pytest

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.models import AuditEvent
from pingjian.web.conftest import client_for
from pingjian.web.core.demo import seed_demo
from pingjian.web.cycles.models import Cycle
from pingjian.web.programs.models import ProgramVersion


@pytest.fixture(autouse=True)
def _demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_has_programs_cycles_and_an_application_in_every_state(db):
    data = seed_demo()
    assert ProgramVersion.objects.published().count() == 6
    assert Cycle.objects.count() == 4
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    assert verify_chain().ok
    counts = (Application.objects.count(), AuditEvent.objects.count())
    seed_demo()
    assert (Application.objects.count(), AuditEvent.objects.count()) == counts
    own = Application.objects.get(institution__name="安心產後護理之家")
    page = client_for(data.users["institution"]).get("/dashboard/").content.decode()
    assert "補件" in page and own.state == State.SUPPLEMENT_REQUESTED
    for username in ("office", "bureau", "surveyor", "admin", "nhi"):
        assert client_for(data.users[username]).get("/dashboard/").status_code == 200
