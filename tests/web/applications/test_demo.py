"""The demo seeding extension: cycles, and applications in every state, idempotent, chain intact."""

from __future__ import annotations

import pytest

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.models import AuditEvent
from pingjian.web.cycles.models import Cycle
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.programs.models import ProgramVersion
from tests.web.support import client_for


@pytest.fixture(autouse=True)
def _demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_has_programs_cycles_and_an_application_in_every_state(db):
    data = seed_demo()
    assert ProgramVersion.objects.published().count() == 6
    # five from the programs' own demo (dashboard/demo/cycles.py), the two psychiatric
    # rehabilitation programs' 107年度 cycles of the finalised cases (dashboard/demo/finalised.py),
    # and the earlier cell-therapy cycle of the clinic whose renewal is open (dashboard/demo/renewal.py)
    assert Cycle.objects.count() == 8
    assert {v for v in Cycle.objects.values_list("program_version__program_id", flat=True)} >= {
        "psych-rehab-day-107",
        "psych-rehab-residential-107",
    }
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


def test_the_demo_has_a_clinic_asked_for_supplements_whose_letter_shows_the_offices_letterhead(db, tmp_path):
    from pingjian.web.dashboard.demo.cycles import CURRENT_JCT_TITLE
    from tests.web.support import text_of

    data = seed_demo()
    # (the cycle also holds the renewal (續約) opened by dashboard/demo/renewal.py, a draft)
    app = Application.objects.get(cycle__title=CURRENT_JCT_TITLE, renews__isnull=True)
    assert app.state == State.SUPPLEMENT_REQUESTED and app.supplement_due >= app.submitted_on
    office = client_for(data.users["office"])
    letter_url = f"/documents/applications/{app.pk}/supplement-letter.pdf"
    assert letter_url in office.get(f"/applications/{app.pk}/").content.decode()
    response = office.get(letter_url)
    assert response.status_code == 200
    text = text_of(response.content).replace("\n", "")
    assert app.institution.name in text and "細胞治療技術施行計畫核准函影本" in text
    assert "請補附最近一年急救訓練之簽到表" in text  # an office review comment is an item
    assert "診所認證辦公室" in text and "220新北市板橋區文化路一段188號5樓" in text  # the letterhead
    own = Application.objects.get(institution__name="安心產後護理之家")
    member = client_for(data.users["institution"])
    own_letter = text_of(member.get(f"/documents/applications/{own.pk}/supplement-letter.pdf").content)
    assert "衛生福利部" in own_letter and "115臺北市南港區忠孝東路六段100號" in own_letter.replace("\n", "")
    assert data.users["office"].is_staff  # the office keeps its letterhead in the admin
