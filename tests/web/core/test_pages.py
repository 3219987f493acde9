from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.web.support import client_for


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/registry/", "/api/openapi.json", "/healthz"])
def test_public_pages_answer_200_anonymously(db, url):
    assert client_for(None).get(url).status_code == 200


def test_pages_are_in_traditional_chinese_by_default(db):
    body = client_for(None).get("/").content.decode()
    assert 'lang="zh-Hant-TW"' in body and "醫療機構品質評鑑系統" in body


def test_english_is_one_switch_away(db):
    client = client_for(None)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body and "Healthcare institution quality evaluation" in body


def test_htmx_is_served_locally(db):
    body = client_for(None).get("/").content.decode()
    assert "/static/django_htmx/htmx" in body and "unpkg" not in body and "cdn" not in body.lower()


@pytest.mark.parametrize(
    "role", ["office", "program_admin", "institution", "surveyor", "bureau", "nhi", "outsider"]
)
def test_every_role_gets_its_dashboard_with_an_roc_date(role, role_users):
    with time_machine.travel(dt.datetime(2023, 6, 8, 10, tzinfo=dt.UTC)):
        body = client_for(role_users[role]).get("/dashboard/").content.decode()
    assert "工作台" in body
    assert "112年6月8日" in body and "112/06/08" in body


def test_dashboards_differ_by_role(role_users, ours, theirs):
    office = client_for(role_users["office"]).get("/dashboard/").content.decode()
    assert "評鑑辦公室：機構概況" in office and "最近的稽核事件" in office
    institution = client_for(role_users["institution"]).get("/dashboard/").content.decode()
    assert "我的機構" in institution and ours.name in institution and theirs.name not in institution
    assert "最近的稽核事件" not in institution
    surveyor = client_for(role_users["surveyor"]).get("/dashboard/").content.decode()
    assert "我的評鑑指派" in surveyor and ours.name in surveyor
    bureau = client_for(role_users["bureau"]).get("/dashboard/").content.decode()
    assert "轄區機構" in bureau and ours.name in bureau and theirs.name not in bureau
    nhi = client_for(role_users["nhi"]).get("/dashboard/").content.decode()
    assert "牙醫門診審查" in nhi and theirs.name in nhi and ours.name not in nhi


def test_navigation_shows_office_links_only_to_the_office(role_users):
    office = client_for(role_users["office"]).get("/dashboard/").content.decode()
    institution = client_for(role_users["institution"]).get("/dashboard/").content.decode()
    assert "/institutions/import/" in office and "/audit/" in office
    assert "/institutions/import/" not in institution and 'href="/audit/"' not in institution


def test_login_form_labels_its_fields_and_ties_errors_to_them(db):
    client = client_for(None)
    body = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in body and '<label for="id_password">' in body
    body = client.post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert 'role="alert"' in body


def test_logout_is_a_post(office):
    client = client_for(office)
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert client.get("/dashboard/").status_code == 302


def test_a_browser_asking_for_english_still_gets_chinese_until_the_switch_is_used(db):
    body = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hant-TW"' in body


def test_api_docs_are_served_without_a_cdn(db):
    body = client_for(None).get("/api/docs").content.decode()
    assert "/static/ninja/" in body and "cdn.jsdelivr" not in body
