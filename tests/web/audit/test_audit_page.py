"""The audit page: filters by subject, actor, event type and ROC dates; before/after; the chain's
verification status."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from pingjian.web.audit.display import event_label
from pingjian.web.audit.events import EventType
from pingjian.web.institutions.actions import do_change_owner, do_update_institution
from tests.web.audit.tamper import raw
from tests.web.support import client_for

ROLES = ["office", "program_admin", "institution", "surveyor", "bureau", "nhi", "outsider"]


@pytest.mark.parametrize("role", ROLES)
def test_the_chain_status_is_for_the_office_only(role, role_users):
    response = client_for(role_users[role]).get("/audit/verify/")
    assert response.status_code == (200 if role in ("office", "program_admin") else 403)


def test_before_and_after_are_shown_with_roc_dates(office, ours):
    do_update_institution(ours, actor=office, reason="更正開業日", opened_on=dt.date(2016, 4, 1))
    body = client_for(office).get("/audit/").content.decode()
    assert "開業日期：104/03/01 → 105/04/01" in body and "更正開業日" in body


def test_filter_by_subject_actor_type(office, ours, theirs):
    do_change_owner(ours, owner_name="林志明", started_on=dt.date(2023, 7, 1), actor=office, reason="異動")
    client = client_for(office)
    body = client.get("/audit/?event_type=institution.owner_changed").content.decode()
    assert "林志明" in body and "微笑牙醫診所" not in body
    body = client.get("/audit/?subject=微笑").content.decode()
    assert "微笑牙醫診所" in body and "安心產後護理之家" not in body
    body = client.get(f"/audit/?subject=institutions.institution:{theirs.pk}").content.decode()
    assert "微笑牙醫診所" in body and "安心產後護理之家" not in body
    body = client.get("/audit/?actor=office&event_type=institution.owner_changed").content.decode()
    assert "林志明" in body
    body = client.get("/audit/?actor=nobody").content.decode()
    assert "沒有符合的事件" in body


def test_filter_by_roc_dates(office, ours):
    with time_machine.travel(dt.datetime(2023, 6, 8, 10, tzinfo=dt.UTC)):
        do_update_institution(ours, actor=office, reason="六月的修改", phone="02-1234-5678")
    client = client_for(office)
    assert "六月的修改" in client.get("/audit/?since=112/06/08&until=112/06/08").content.decode()
    assert "六月的修改" not in client.get("/audit/?since=112/06/09").content.decode()
    response = client.get("/audit/?since=112/06/09&until=112/06/01")
    assert "迄日不能早於起日" in response.content.decode()


def test_the_old_type_parameter_still_filters(office, ours):
    body = client_for(office).get("/audit/?type=membership.granted").content.decode()
    assert "授予角色" in body and "新增機構" not in body.split("<tbody>")[1]


def test_the_chain_status_reports_an_intact_chain_and_a_tampered_one(office, ours):
    client = client_for(office)
    body = client.get("/audit/verify/").content.decode()
    assert "稽核鏈完整" in body
    raw("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 1")
    body = client.get("/audit/verify/").content.decode()
    assert "稽核鏈異常" in body and "第 1 筆" in body


def test_the_audit_page_loads_the_chain_status_after_rendering(office):
    body = client_for(office).get("/audit/").content.decode()
    assert 'hx-get="/audit/verify/"' in body and 'hx-trigger="load"' in body


@pytest.mark.parametrize("event_type", EventType.values)
def test_every_event_type_has_a_chinese_label_and_an_english_one(event_type):
    with translation.override("zh-hant"):
        chinese = event_label(event_type)
    with translation.override("en"):
        english = event_label(event_type)
    assert chinese != event_type and english != event_type
    assert english != chinese and english.isascii(), (event_type, english)


def test_event_labels_tell_every_type_apart_and_an_unknown_type_shows_its_key():
    with translation.override("zh-hant"):
        labels = [str(label) for label in EventType.labels]
    assert len(set(labels)) == len(labels)
    assert event_label("retired.type") == "retired.type"


def test_the_audit_page_and_the_dashboard_show_the_event_type_in_words_not_its_key(office, ours):
    do_update_institution(ours, actor=office, reason="電話更正", phone="02-2700-0000")
    client = client_for(office)
    for url in ("/audit/", "/dashboard/"):
        body = client.get(url).content.decode()
        assert "機構資料更新" in body and "institution.updated" not in body.split("</form>")[-1], url
