"""Editing institutions, owner changes, suspension, reopening and closing through the pages:
office only (404 outside the scope, 403 inside without the right), every change audited with its
reason and shown in the history with ROC dates."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.actions import do_reopen_institution, do_suspend_institution
from pingjian.web.institutions.models import Institution
from tests.web.support import client_for

from .test_permission_matrix import EXPECTED

PAGES = ["edit", "owner", "status"]


def _edit_data(institution, **overrides):
    data = {
        "code": institution.code, "name": institution.name, "name_en": "", "type": institution.type,
        "county": institution.county, "district": "", "address": institution.address, "phone": "",
        "capacity": "", "opened_on": "104/03/01", "reason": "更正資料",
    }  # fmt: skip
    return {**data, **overrides}


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("page", PAGES)
def test_change_pages_are_the_offices_404_outside_and_403_inside(role, page, role_users, ours, theirs):
    client = client_for(role_users[role])
    for institution, visible in ((ours, EXPECTED[role][0]), (theirs, EXPECTED[role][1])):
        response = client.get(f"/institutions/{institution.code}/{page}/")
        expected = 200 if EXPECTED[role][2] else (403 if visible else 404)
        assert response.status_code == expected, (role, page, institution.code)
        assert client.post(f"/institutions/{institution.code}/{page}/", {}).status_code in (
            (422,) if EXPECTED[role][2] else (expected,)
        )


@pytest.mark.parametrize("role", EXPECTED)
def test_create_page_is_the_offices(role, role_users):
    assert client_for(role_users[role]).get("/institutions/new/").status_code == (
        200 if EXPECTED[role][2] else 403
    )


def test_office_creates_an_institution_with_a_normalised_code(office):
    response = client_for(office).post(
        "/institutions/new/",
        {"code": "０１９０００００９９", "name": "新安產後護理之家", "type": "postpartum_home",
         "county": "TPE", "address": "臺北市中山區1號", "capacity": "20", "opened_on": "112年6月8日"},
    )  # fmt: skip
    assert response.status_code == 302
    institution = Institution.objects.get(code="0190000099")
    assert institution.opened_on == dt.date(2023, 6, 8) and institution.capacity == 20
    assert AuditEvent.objects.for_subject(institution).get().event_type == "institution.created"


def test_a_bad_or_taken_code_is_refused_with_a_message(office, ours):
    client = client_for(office)
    base = {"name": "x", "type": "clinic", "county": "TPE", "address": "1號"}
    body = client.post("/institutions/new/", {**base, "code": "123"}).content.decode()
    assert "醫事機構代碼須為 10 碼" in body and 'role="alert"' in body
    response = client.post("/institutions/new/", {**base, "code": ours.code})
    assert response.status_code == 422 and "已存在" in response.content.decode()


def test_office_edits_county_address_capacity_with_a_reason(office, ours):
    client = client_for(office)
    response = client.post(
        f"/institutions/{ours.code}/edit/",
        _edit_data(ours, county="NWT", address="新北市板橋區文化路一段1號", capacity="30", reason="遷址"),
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert (ours.county, ours.capacity) == ("NWT", 30)
    event = AuditEvent.objects.for_subject(ours).latest("seq")
    assert event.event_type == "institution.updated" and event.reason == "遷址"
    assert event.before["county"] == "TPE" and event.after["county"] == "NWT"
    body = client.get(f"/institutions/{ours.code}/").content.decode()
    assert "遷址" in body and "臺北市 → 新北市" in body


def test_an_edit_needs_a_reason_and_cannot_change_the_code(office, ours):
    client = client_for(office)
    response = client.post(f"/institutions/{ours.code}/edit/", _edit_data(ours, reason=""))
    assert response.status_code == 422
    response = client.post(
        f"/institutions/{ours.code}/edit/", _edit_data(ours, code="0190000077", name="改名")
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.code == "0190000001" and ours.name == "改名"


def test_a_negative_capacity_or_bad_date_is_refused(office, ours):
    client = client_for(office)
    assert client.post(f"/institutions/{ours.code}/edit/", _edit_data(ours, capacity="-1")).status_code == 422
    body = client.post(f"/institutions/{ours.code}/edit/", _edit_data(ours, opened_on="112/13/40")).content
    assert "日期格式不正確" in body.decode()


def test_owner_change_closes_the_previous_term_the_day_before_and_shows_roc_dates(office, ours):
    client = client_for(office)
    response = client.post(
        f"/institutions/{ours.code}/owner/",
        {"owner_name": "林志明", "started_on": "112/07/01", "reason": "負責人異動"},
    )
    assert response.status_code == 302
    terms = list(ours.owner_terms.order_by("started_on").values_list("owner_name", "started_on", "ended_on"))
    assert terms == [
        ("王美玲", dt.date(2015, 3, 1), dt.date(2023, 6, 30)),
        ("林志明", dt.date(2023, 7, 1), None),
    ]
    body = client.get(f"/institutions/{ours.code}/").content.decode()
    assert "112/06/30" in body and "112/07/01" in body and "負責人異動" in body and "負責人變更" in body


def test_an_owner_change_before_the_current_term_is_refused(office, ours):
    response = client_for(office).post(
        f"/institutions/{ours.code}/owner/",
        {"owner_name": "林志明", "started_on": "100/01/01", "reason": "x"},
    )
    assert response.status_code == 422 and "須晚於" in response.content.decode()
    assert ours.owner_terms.count() == 1


def test_suspend_reopen_close_each_audited_and_in_the_history(office, ours):
    client = client_for(office)
    url = f"/institutions/{ours.code}/status/"
    assert client.post(url, {"change": "suspend", "on": "112/03/01", "reason": "內部整修"}).status_code == 302
    ours.refresh_from_db()
    assert ours.suspended_on == dt.date(2023, 3, 1) and ours.status_on(dt.date(2023, 4, 1)) == "suspended"
    assert client.post(url, {"change": "reopen", "on": "112/09/01", "reason": "整修完成"}).status_code == 302
    assert client.post(url, {"change": "close", "on": "113/01/31", "reason": "歇業"}).status_code == 302
    ours.refresh_from_db()
    assert ours.closed_on == dt.date(2024, 1, 31)
    types = list(AuditEvent.objects.for_subject(ours).order_by("seq").values_list("event_type", "reason"))
    assert types[-3:] == [
        ("institution.suspended", "內部整修"),
        ("institution.reopened", "整修完成"),
        ("institution.closed", "歇業"),
    ]
    body = client.get(f"/institutions/{ours.code}/").content.decode()
    assert "停業" in body and "復業" in body and "112/03/01" in body and "113/01/31" in body
    assert "內部整修" in body and "整修完成" in body
    assert client.get(url).status_code == 200 and "已歇業" in client.get(url).content.decode()


def test_status_changes_are_refused_in_the_wrong_order(office, ours):
    client = client_for(office)
    url = f"/institutions/{ours.code}/status/"
    response = client.post(url, {"change": "reopen", "on": "112/09/01", "reason": "x"})
    assert response.status_code == 422  # not suspended: reopening is not offered
    response = client.post(url, {"change": "suspend", "on": "103/01/01", "reason": "x"})
    assert response.status_code == 422 and "開業日期" in response.content.decode()


def test_actions_refuse_a_second_suspension_and_an_early_reopening(ours):
    do_suspend_institution(ours, on=dt.date(2023, 3, 1), actor=None, reason="x")
    with pytest.raises(ValueError):
        do_suspend_institution(ours, on=dt.date(2023, 4, 1), actor=None, reason="x")
    with pytest.raises(ValueError):
        do_reopen_institution(ours, on=dt.date(2023, 2, 1), actor=None, reason="x")


def test_institution_users_see_the_history_without_who_did_it(office, institution_user, ours):
    client_for(office).post(
        f"/institutions/{ours.code}/status/", {"change": "suspend", "on": "112/03/01", "reason": "內部整修"}
    )
    body = client_for(institution_user).get(f"/institutions/{ours.code}/").content.decode()
    assert "內部整修" in body and "112/03/01" in body
    assert "操作者" not in body and "編輯機構資料" not in body


def test_an_institution_user_sees_who_else_has_access_to_their_institution(institution_user, ours, theirs):
    from tests.web.support import make_user

    make_user("colleague", "institution", institution=ours)
    make_user("stranger", "institution", institution=theirs)
    body = client_for(institution_user).get(f"/institutions/{ours.code}/").content.decode()
    assert "colleague" in body and "stranger" not in body and "可存取本機構資料的機構使用者" in body


def test_the_bureau_sees_its_county_institution_read_only_without_the_member_list(bureau, ours):
    client = client_for(bureau)
    body = client.get(f"/institutions/{ours.code}/").content.decode()
    assert ours.name in body and "可存取本機構資料的機構使用者" not in body and "編輯機構資料" not in body
    assert client.post(f"/institutions/{ours.code}/edit/", _edit_data(ours)).status_code == 403
