"""The 補件通知函 speaks of one program and year throughout, has no English subtitle (an English
letter is a separate document) and fits its page (issue 18)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.dashboard.demo import seed_demo
from tests.web.support import client_for, text_of


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return seed_demo()


def test_each_demo_supplement_letter_names_its_cycle_once_in_chinese_on_one_page(db, demo):
    office = client_for(demo.users["office"])
    apps = Application.objects.filter(state=State.SUPPLEMENT_REQUESTED).select_related("cycle")
    assert apps.count() >= 2
    for app in apps:
        pdf = office.get(f"/documents/applications/{app.pk}/supplement-letter.pdf").content
        text = "".join(text_of(pdf).split())
        subject = text[text.index("主旨") : text.index("說明")]
        assert "".join(app.cycle.title.split()) in subject
        years = {word for word in ("111年度", "112年度", "115年度") if word in text}
        assert years <= {y for y in ("111年度", "112年度", "115年度") if y in app.cycle.title}, years
        assert "Notice to Supplement" not in text and "Evaluation of" not in text
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, app.institution.name
