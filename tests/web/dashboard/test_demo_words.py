"""The demo speaks words, not internal keys (issue 18, done when): every page a demo account opens
and every notification is free of 「seed 」, dotted audit event keys and program slugs outside URLs."""

from __future__ import annotations

import html
import re

import pytest

from pingjian.web.applications.models import Application
from pingjian.web.audit.events import EventType
from pingjian.web.cycles.models import Cycle
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.notifications.models import Notification
from pingjian.web.programs.models import ProgramVersion
from tests.web.support import client_for

PAGES = ["/", "/dashboard/", "/notifications/", "/applications/", "/cycles/", "/audit/", "/registry/"]


def visible_text(page: str) -> str:
    """The page's text as read: no scripts, styles or tags (so no URLs in attributes)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def internal_keys(text: str, slugs: set[str]) -> list[str]:
    events = "|".join(re.escape(e.value) for e in EventType)
    found = re.findall(r"\bseed [0-9A-Za-z]", text)
    found += re.findall(rf"(?<![\w./-])(?:{events})(?![\w.-])", text)
    found += [slug for slug in slugs if re.search(rf"(?<![\w/-]){re.escape(slug)}(?![\w/-])", text)]
    return found


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return seed_demo()


def test_the_finder_finds_what_it_must(db):
    slugs = {"postpartum-111"}
    assert internal_keys("依據：seed 001 認證申請流程", slugs)
    assert internal_keys("狀態 bureau.survey_reply_returned", slugs) or not any(
        e.value == "bureau.survey_reply_returned" for e in EventType
    )
    assert internal_keys("計畫版本 postpartum-111 第1版", slugs)
    assert not internal_keys("計畫 /programs/postpartum-111/ 產後護理之家評鑑", slugs)


def test_no_demo_page_or_notification_shows_an_internal_key(db, demo):
    slugs = set(ProgramVersion.objects.values_list("program_id", flat=True))
    assert slugs
    problems: dict[str, list[str]] = {}
    for username, user in demo.users.items():
        client = client_for(user)
        urls = list(PAGES)
        urls += [f"/applications/{a.pk}/" for a in Application.objects.visible_to(user)]
        urls += [f"/cycles/{c.pk}/" for c in Cycle.objects.all()]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            found = internal_keys(visible_text(response.content.decode()), slugs)
            if found:
                problems[f"{username} {url}"] = sorted(set(found))
    for note in Notification.objects.all():
        found = internal_keys(f"{note.subject}\n{note.body}", slugs)
        if found:
            problems[f"notification {note.pk} {note.subject}"] = sorted(set(found))
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_english_mode_translates_the_to_do_labels(db, demo, settings):
    client = client_for(demo.users["office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/dashboard/").content.decode()
    deadlines = page[page.index('data-testid="deadlines"') :]
    assert "Eligibility review" in deadlines and "待資格審查" not in deadlines


def test_the_landing_page_promises_only_what_the_application_does(db):
    from django.test import Client

    page = visible_text(Client().get("/").content.decode())
    for promise in ("證書", "在平板上實地評分", "計算牙醫門診審查指標"):  # not in the web application today
        assert promise not in page
    assert "公開查詢評鑑結果" in page


def test_english_mode_translates_the_notification_subjects(db, demo, settings):
    from django.utils import translation

    user = demo.users["institution"]
    rows = [n for n in Notification.objects.filter(recipient=user)[:100] if n.message_key]
    assert rows, "the demo's notifications carry message keys"
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):
        page = html.unescape(client.get("/notifications/").content.decode())
    with translation.override("en"):
        english = [n.display_subject for n in rows]
    assert all(subject in page for subject in english)
    assert all(n.subject not in page for n, e in zip(rows, english, strict=True) if n.subject != e)
    assert any(n.subject != e for n, e in zip(rows, english, strict=True))
