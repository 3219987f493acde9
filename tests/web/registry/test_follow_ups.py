"""Follow-up within the validity (追蹤訪查): seed 000 has the certifier follow up on site within the
validity (合格效期內進行實地追蹤); seed 002 §十四(一) lets the ministry abolish a result found within
the validity in serious breach or not improved by the deadline set (經限期改善而屆期未改善). The
office plans and records; the institution is told; the public never sees a follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.web.audit.bindings import check_bindings
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.error_codes import CoreErrorCode
from pingjian.web.notifications.models import Notification
from pingjian.web.registry.actions import (
    do_change_status,
    do_plan_follow_up,
    do_publish_result,
    do_record_follow_up_outcome,
)
from pingjian.web.registry.error_codes import RegistryErrorCode as Code
from pingjian.web.registry.models import EntryStatus, FollowUp, FollowUpKind, FollowUpOutcome
from pingjian.web.registry.selectors import follow_ups_of
from tests.web.support import TODAY, client_for, make_user, untranslated

FROM, UNTIL = dt.date(2023, 1, 1), dt.date(2026, 12, 31)  # 112年1月1日至115年12月31日
DAY = dt.date(2024, 6, 3)


def _publish(institution, office, valid_from=FROM, valid_until=UNTIL, program_id="postpartum-111"):
    return do_publish_result(
        institution=institution, program_id=program_id, program_title="產後護理機構評鑑", result="合格",
        valid_from=valid_from, valid_until=valid_until, source="測試", actor=office,
    )  # fmt: skip


@pytest.fixture
def entry(ours, office):
    return _publish(ours, office)


@pytest.fixture
def current(ours, office):
    """An entry in force today (the pages use the real date)."""
    return _publish(ours, office, TODAY - dt.timedelta(days=400), TODAY + dt.timedelta(days=700))


@pytest.fixture
def their_user(theirs):
    return make_user("their_inst", "institution", institution=theirs)


def _code(exc_info) -> str:  # type: ignore[no-untyped-def]
    return exc_info.value.code


# --- planning -----------------------------------------------------------------------------------


def test_seed_000_the_office_plans_an_on_site_follow_up_within_the_validity(entry, office, institution_user):
    """seed 000 認證結果: 合格效期內進行實地追蹤 — the first and last day of the validity included."""
    for day in (FROM, DAY, UNTIL):
        follow_up = do_plan_follow_up(entry, day=day, kind=FollowUpKind.ON_SITE, actor=office)
        assert (follow_up.day, follow_up.outcome, follow_up.planned_by) == (
            day,
            FollowUpOutcome.PLANNED,
            office,
        )
    assert entry.follow_ups.count() == 3


@pytest.mark.parametrize("day", [FROM - dt.timedelta(days=1), UNTIL + dt.timedelta(days=1)])
def test_seed_000_a_follow_up_outside_the_validity_is_refused_naming_the_validity(entry, office, day):
    with pytest.raises(ValidationError) as exc:
        do_plan_follow_up(entry, day=day, kind=FollowUpKind.ON_SITE, actor=office)
    assert _code(exc) == Code.OUTSIDE_VALIDITY
    assert "112年1月1日至115年12月31日" in exc.value.messages[0]
    assert not FollowUp.objects.exists()


def test_a_result_no_longer_valid_is_not_followed_up(entry, office):
    do_change_status(
        entry, status=EntryStatus.REVOKED, reason="資料虛偽不實", legal_basis="seed 002 §十四(二)",
        effective_on=dt.date(2024, 1, 2), actor=office,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        do_plan_follow_up(entry, day=DAY, kind=FollowUpKind.DOCUMENTS, actor=office)
    assert _code(exc) == Code.NOT_VALID


def test_only_office_operators_plan_and_record(entry, office, institution_user, program_admin, bureau):
    for user in (institution_user, program_admin, bureau, None):
        with pytest.raises(PermissionDenied):
            do_plan_follow_up(entry, day=DAY, kind=FollowUpKind.ON_SITE, actor=user)
    follow_up = do_plan_follow_up(entry, day=DAY, kind=FollowUpKind.ON_SITE, actor=office)
    for user in (institution_user, program_admin, bureau, None):
        with pytest.raises(PermissionDenied):
            do_record_follow_up_outcome(follow_up, outcome=FollowUpOutcome.COMPLIANT, actor=user)
    follow_up.refresh_from_db()
    assert follow_up.outcome == FollowUpOutcome.PLANNED


def test_the_institution_is_told_the_date_and_the_plan_is_audited(
    entry, office, institution_user, their_user
):
    follow_up = do_plan_follow_up(entry, day=DAY, kind=FollowUpKind.ON_SITE, actor=office)
    note = Notification.objects.get(recipient=institution_user)
    assert note.subject == "安心產後護理之家：實地追蹤排定於113年6月3日（產後護理機構評鑑）"
    assert "113年6月3日" in note.body and note.url == f"/registry/{entry.pk}/"
    assert not Notification.objects.filter(recipient=their_user).exists()
    event = AuditEvent.objects.get(event_type=EventType.REGISTRY_FOLLOW_UP_PLANNED)
    assert event.subject_id == str(follow_up.pk) and event.actor == office
    assert event.after["day"] == "2024-06-03" and event.after["kind"] == "on_site"


# --- the outcome ----------------------------------------------------------------------------------


@pytest.fixture
def planned(entry, office):
    return do_plan_follow_up(entry, day=DAY, kind=FollowUpKind.ON_SITE, actor=office)


def _record(follow_up, office, **kwargs):  # type: ignore[no-untyped-def]
    """Recorded on the follow-up's own day."""
    return do_record_follow_up_outcome(follow_up, actor=office, today=follow_up.day, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"outcome": FollowUpOutcome.PLANNED}, Code.FOLLOW_UP_OUTCOME),
        ({"outcome": "abolished"}, Code.FOLLOW_UP_OUTCOME),
        ({"outcome": FollowUpOutcome.IMPROVEMENT, "improve_by": dt.date(2024, 9, 1)}, Code.FINDINGS_REQUIRED),
        ({"outcome": FollowUpOutcome.IMPROVEMENT, "findings": "   ", "improve_by": dt.date(2024, 9, 1)},
         Code.FINDINGS_REQUIRED),
        ({"outcome": FollowUpOutcome.NON_COMPLIANT}, Code.FINDINGS_REQUIRED),
        ({"outcome": FollowUpOutcome.IMPROVEMENT, "findings": "消防設備未檢修"}, Code.IMPROVE_BY_REQUIRED),
        ({"outcome": FollowUpOutcome.IMPROVEMENT, "findings": "消防設備未檢修", "improve_by": DAY},
         Code.IMPROVE_BY_DATE),
        ({"outcome": FollowUpOutcome.IMPROVEMENT, "findings": "消防設備未檢修",
          "improve_by": UNTIL + dt.timedelta(days=1)}, Code.IMPROVE_BY_DATE),
        ({"outcome": FollowUpOutcome.COMPLIANT, "findings": "x" * 4001}, CoreErrorCode.TEXT_TOO_LONG),
    ],
)  # fmt: skip
def test_outcome_rules(planned, office, kwargs, code):
    with pytest.raises(ValidationError) as exc:
        _record(planned, office, **kwargs)
    assert _code(exc) == code
    planned.refresh_from_db()
    assert planned.outcome == FollowUpOutcome.PLANNED and planned.recorded_on is None


def test_an_improve_by_date_outside_the_validity_names_the_validity(planned, office):
    with pytest.raises(ValidationError) as exc:
        _record(planned, office, outcome=FollowUpOutcome.IMPROVEMENT, findings="未改善",
                improve_by=dt.date(2027, 1, 1))  # fmt: skip
    assert "112年1月1日至115年12月31日" in exc.value.messages[0]


def test_no_outcome_before_the_follow_up_day(planned, office):
    with pytest.raises(ValidationError) as exc:
        do_record_follow_up_outcome(
            planned, outcome=FollowUpOutcome.COMPLIANT, actor=office, today=DAY - dt.timedelta(days=1)
        )
    assert _code(exc) == Code.NOT_YET


def test_improvement_is_recorded_once_told_to_the_institution_and_audited(
    planned, office, institution_user, their_user
):
    """seed 002 §十四(一): 經限期改善 — the deadline, the last day of the validity allowed."""
    Notification.objects.all().delete()
    follow_up = _record(planned, office, outcome=FollowUpOutcome.IMPROVEMENT, findings="消防設備未檢修",
                        improve_by=UNTIL)  # fmt: skip
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.findings, follow_up.improve_by) == (
        "improvement",
        "消防設備未檢修",
        UNTIL,
    )
    assert (follow_up.recorded_by, follow_up.recorded_on) == (office, DAY)
    note = Notification.objects.get(recipient=institution_user)
    assert note.subject == "安心產後護理之家：追蹤訪查結果「限期改善」（產後護理機構評鑑）"
    assert "消防設備未檢修" in note.body and "請於115年12月31日前完成改善" in note.body
    assert "廢止評鑑合格" in note.body
    assert not Notification.objects.filter(recipient=their_user).exists()
    event = AuditEvent.objects.get(event_type=EventType.REGISTRY_FOLLOW_UP_RECORDED)
    assert event.subject_id == str(follow_up.pk) and event.reason == "消防設備未檢修"
    assert event.before == {"outcome": "planned"}
    assert event.after == {"outcome": "improvement", "improve_by": "2026-12-31", "recorded_on": "2024-06-03"}
    assert check_bindings() == []  # day, kind, outcome, improve_by, recorded_on: each set by an event

    with pytest.raises(ValidationError) as exc:
        _record(follow_up, office, outcome=FollowUpOutcome.COMPLIANT)
    assert _code(exc) == Code.ALREADY_RECORDED
    assert "113年6月3日" in exc.value.messages[0] and "限期改善" in exc.value.messages[0]
    follow_up.refresh_from_db()
    assert follow_up.outcome == FollowUpOutcome.IMPROVEMENT
    assert AuditEvent.objects.filter(event_type=EventType.REGISTRY_FOLLOW_UP_RECORDED).count() == 1


def test_compliant_keeps_no_improve_by(planned, office, institution_user):
    follow_up = _record(planned, office, outcome=FollowUpOutcome.COMPLIANT, improve_by=dt.date(2024, 9, 1))
    assert follow_up.improve_by is None and follow_up.findings == ""
    assert Notification.objects.filter(recipient=institution_user, subject__contains="「符合」").exists()


def test_seed_002_14_1_non_compliant_does_not_abolish_by_itself(planned, office, entry):
    """seed 002 §十四(一): 本部「得」廢止 — the office decides with do_change_status."""
    _record(planned, office, outcome=FollowUpOutcome.NON_COMPLIANT, findings="違規情節重大")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VALID and not entry.status_actions.exists()


# --- who sees what --------------------------------------------------------------------------------


def test_the_selector_shows_follow_ups_to_the_office_and_the_institution_only(
    planned, entry, office, program_admin, institution_user, their_user, bureau, surveyor
):
    assert list(follow_ups_of(office, entry)) == [planned]
    assert list(follow_ups_of(program_admin, entry)) == [planned]
    assert list(follow_ups_of(institution_user, entry)) == [planned]
    for user in (their_user, bureau, surveyor, None):
        assert list(follow_ups_of(user, entry)) == []


def _page(user, entry) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user).get(f"/registry/{entry.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_shows_no_follow_up_to_the_public_or_another_institution(
    current, office, their_user, bureau
):
    follow_up = do_plan_follow_up(current, day=TODAY, kind=FollowUpKind.ON_SITE, actor=office)
    _record(follow_up, office, outcome=FollowUpOutcome.NON_COMPLIANT, findings="違規情節重大之事實")
    for user in (None, their_user, bureau):
        body = _page(user, current)
        assert current.institution.name in body  # the entry itself is public
        for private in (
            "追蹤訪查",
            "違規情節重大之事實",
            "不符合",
            'data-testid="follow-ups"',
            "may-be-ended",
        ):
            assert private not in body, (user, private)


def test_the_institution_sees_its_follow_ups_without_the_office_forms(current, office, institution_user):
    follow_up = do_plan_follow_up(current, day=TODAY, kind=FollowUpKind.DOCUMENTS, actor=office)
    body = _page(institution_user, current)
    assert 'data-testid="follow-ups"' in body and roc_date_long(TODAY) in body and "書面追蹤" in body
    assert "已排定" in body
    assert 'data-testid="plan-follow-up"' not in body and f"record-follow-up-{follow_up.pk}" not in body


def test_the_office_sees_the_forms_and_plans_and_records_on_the_page(current, office, institution_user):
    client = client_for(office)
    body = _page(office, current)
    assert 'data-testid="plan-follow-up"' in body and 'data-testid="no-follow-ups"' in body

    response = client.post(f"/registry/{current.pk}/follow-ups/", {"day": roc_date(TODAY), "kind": "on_site"})
    assert response.status_code == 302 and response["Location"] == f"/registry/{current.pk}/#follow-ups"
    follow_up = FollowUp.objects.get()
    assert (follow_up.day, follow_up.kind) == (TODAY, "on_site")
    page = client.get(response["Location"]).content.decode()
    assert f"已排定實地追蹤：{roc_date_long(TODAY)}" in page and f"record-follow-up-{follow_up.pk}" in page

    outside = roc_date(current.valid_until + dt.timedelta(days=1))
    response = client.post(
        f"/registry/{current.pk}/follow-ups/", {"day": outside, "kind": "on_site"}, follow=True
    )
    assert "追蹤日期須在合格效期內" in response.content.decode() and FollowUp.objects.count() == 1

    improve_by = TODAY + dt.timedelta(days=30)
    url = f"/registry/follow-ups/{follow_up.pk}/outcome/"
    response = client.post(url, {"outcome": "improvement", "findings": "", "improve_by": ""}, follow=True)
    assert "「限期改善」須填寫追蹤發現" in response.content.decode()
    response = client.post(
        url, {"outcome": "improvement", "findings": "感染管制紀錄不全", "improve_by": roc_date(improve_by)},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert (
        "已登錄追蹤結果：限期改善" in page
        and roc_date_long(improve_by) in page
        and "感染管制紀錄不全" in page
    )
    assert f"record-follow-up-{follow_up.pk}" not in page  # recorded: no form any more
    assert client_for(institution_user).post(url, {"outcome": "compliant"}).status_code == 403


def test_seed_002_14_1_the_page_says_a_non_compliant_result_may_be_abolished(
    current, office, institution_user
):
    follow_up = do_plan_follow_up(current, day=TODAY, kind=FollowUpKind.ON_SITE, actor=office)
    assert "may-be-ended" not in _page(office, current)
    _record(follow_up, office, outcome=FollowUpOutcome.NON_COMPLIANT, findings="違規情節重大")
    body = _page(office, current)
    assert 'data-testid="may-be-ended"' in body and "seed 002 §十四(一)" in body and "屆期未改善" in body
    assert f'href="/registry/{current.pk}/status/?status=abolished"' in body
    seen = _page(institution_user, current)  # the institution is told, not offered the office's form
    assert 'data-testid="may-be-ended"' in seen and "/status/" not in seen
    do_change_status(
        current, status=EntryStatus.ABOLISHED, reason="屆期未改善", legal_basis="seed 002 §十四(一)",
        effective_on=TODAY, actor=office,
    )  # fmt: skip
    assert "may-be-ended" not in _page(office, current)  # abolished: nothing left to decide


def test_a_jct_result_points_to_termination_instead(ours, office):
    """seed 000: the JCT suspends or terminates (no 廢止 among its statuses)."""
    entry = _publish(ours, office, TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=1000),
                     program_id="cell-therapy-clinic-112")  # fmt: skip
    follow_up = do_plan_follow_up(entry, day=TODAY, kind=FollowUpKind.ON_SITE, actor=office)
    _record(follow_up, office, outcome=FollowUpOutcome.NON_COMPLIANT, findings="未依限改善")
    body = _page(office, entry)
    assert f"/registry/{entry.pk}/status/?status=terminated" in body and "seed 000" in body


def test_the_follow_up_words_have_english(institution_user, planned, office):
    app = Path(__file__).resolve().parents[3] / "pingjian/web/registry"
    found, missing = untranslated([app / "templates/registry/detail.html", *app.glob("*.py")])
    assert "追蹤訪查" in found and "限期改善" in found and missing == []
    _record(planned, office, outcome=FollowUpOutcome.IMPROVEMENT, findings="未檢修", improve_by=UNTIL)
    with translation.override("en"):
        subjects = [
            n.display_subject for n in Notification.objects.filter(recipient=institution_user).order_by("pk")
        ]
    assert subjects == [
        "安心產後護理之家: On-site follow-up planned on 113年6月3日 (產後護理機構評鑑)",
        "安心產後護理之家: follow-up outcome “Improvement by a deadline” (產後護理機構評鑑)",
    ]


def test_the_api_lists_follow_ups_to_the_office_and_the_institution_only(
    planned, entry, office, institution_user, their_user, bureau
):
    url = f"/api/registry/{entry.pk}/follow-ups"
    _record(planned, office, outcome=FollowUpOutcome.IMPROVEMENT, findings="消防設備未檢修", improve_by=UNTIL)
    for user in (office, institution_user):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response.json() == [
            {
                "id": planned.pk, "day": "2024-06-03", "kind": "on_site", "kind_label": "實地追蹤",
                "outcome": "improvement", "outcome_label": "限期改善", "findings": "消防設備未檢修",
                "improve_by": "2026-12-31", "recorded_on": "2024-06-03",
            }
        ]  # fmt: skip
    assert client_for(None).get(url).status_code == 401
    for user in (their_user, bureau):
        response = client_for(user).get(url)
        assert response.status_code == 403 and "消防設備" not in response.content.decode()


def test_the_dashboard_shows_what_the_follow_ups_ask_now_and_to_whom(
    current, office, institution_user, their_user
):
    """The office and the institution see a 限期改善 whose deadline has passed with no follow-up
    after it (seed 002 §十四(一): 經限期改善而屆期未改善), a follow-up whose day passed without an
    outcome, and those of the next 30 days; another institution sees none of it."""
    days = dt.timedelta(days=1)
    improved = do_plan_follow_up(current, day=TODAY - 60 * days, kind=FollowUpKind.ON_SITE, actor=office)
    do_record_follow_up_outcome(
        improved,
        outcome=FollowUpOutcome.IMPROVEMENT,
        findings="滅火器逾期未檢修",
        improve_by=TODAY - 5 * days,
        actor=office,
    )
    unrecorded = do_plan_follow_up(current, day=TODAY - 90 * days, kind=FollowUpKind.DOCUMENTS, actor=office)
    for user in (office, institution_user):
        page = client_for(user).get("/dashboard/").content.decode()
        assert f'data-testid="improvement-due-{improved.pk}"' in page
        assert roc_date_long(TODAY - 5 * days) in page
        assert f'data-testid="to-record-{unrecorded.pk}"' in page
    assert 'data-testid="follow-ups"' not in client_for(their_user).get("/dashboard/").content.decode()
    # a re-check planned after the improvement: no longer due; listed once within 30 days
    recheck = do_plan_follow_up(current, day=TODAY + 45 * days, kind=FollowUpKind.ON_SITE, actor=office)
    page = client_for(office).get("/dashboard/").content.decode()
    assert f'data-testid="improvement-due-{improved.pk}"' not in page
    assert f'data-testid="upcoming-{recheck.pk}"' not in page
    soon = do_plan_follow_up(current, day=TODAY + 10 * days, kind=FollowUpKind.ON_SITE, actor=office)
    page = client_for(office).get("/dashboard/").content.decode()
    assert f'data-testid="upcoming-{soon.pk}"' in page
