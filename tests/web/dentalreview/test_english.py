"""Every string the dental review app shows has an English translation (the .po block added by
hand for issue 15), its audit event labels included."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from pingjian.web.audit.events import EventType
from tests.web.support import untranslated

APP = Path(__file__).resolve().parents[3] / "pingjian" / "web" / "dentalreview"


def test_every_dentalreview_string_has_english() -> None:
    found, missing = untranslated([*APP.rglob("*.html"), *APP.glob("*.py")])
    assert len(found) > 50  # the extraction found the app's strings
    assert missing == []


def test_dental_event_types_have_english_labels() -> None:
    dental = [e for e in EventType if e.value.startswith("dental.")]
    assert len(dental) == 3
    with translation.override("en"):
        labels = [str(e.label) for e in dental]
    assert labels == [
        "Dental guidance points: quarter run requested",
        "Dental guidance points: quarter run finished",
        "Dental guidance points: quarter run failed",
    ]
