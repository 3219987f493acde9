"""Every string the dental review app shows has an English translation (the .po block added by
hand for issue 15), its audit event labels included."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from pingjian.web.audit.events import EventType

APP = Path(__file__).resolve().parents[3] / "pingjian" / "web" / "dentalreview"
TRANSLATE = re.compile(r'\{% translate "([^"]+)"')
GETTEXT = re.compile(r'\b_\(\s*"([^"]+)"\s*\)')


def _msgids() -> set[str]:
    found: set[str] = set()
    for path in APP.rglob("*.html"):
        found |= set(TRANSLATE.findall(path.read_text(encoding="utf-8")))
    for path in APP.glob("*.py"):
        found |= set(GETTEXT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_dentalreview_string_has_english() -> None:
    msgids = _msgids()
    assert len(msgids) > 50  # the extraction found the app's strings
    with translation.override("en"):
        untranslated = sorted(m for m in msgids if translation.gettext(m) == m)
    assert untranslated == []


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
