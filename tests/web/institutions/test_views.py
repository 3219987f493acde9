"""Every institution page and API endpoint × every role: outsiders get 404, never the data."""

from __future__ import annotations

import io

import pytest

from tests.web.support import client_for

from .test_permission_matrix import EXPECTED


@pytest.mark.parametrize("role", EXPECTED)
def test_detail_page_answers_200_in_scope_and_404_outside(role, role_users, ours, theirs):
    client = client_for(role_users[role])
    for institution, expected in ((ours, EXPECTED[role][0]), (theirs, EXPECTED[role][1])):
        response = client.get(f"/institutions/{institution.code}/")
        assert response.status_code == (200 if expected else 404), (role, institution.code)
        if not expected:
            assert institution.name not in response.content.decode()


@pytest.mark.parametrize("role", EXPECTED)
def test_detail_api_answers_200_in_scope_and_404_outside(role, role_users, ours, theirs):
    client = client_for(role_users[role])
    for institution, expected in ((ours, EXPECTED[role][0]), (theirs, EXPECTED[role][1])):
        response = client.get(f"/api/institutions/{institution.code}")
        assert response.status_code == (200 if expected else 404), (role, institution.code)
        if expected:
            assert response.json()["code"] == institution.code
        else:
            assert institution.name not in response.content.decode()


@pytest.mark.parametrize("role", EXPECTED)
def test_list_page_and_api_show_only_the_scope(role, role_users, ours, theirs):
    client = client_for(role_users[role])
    expected = {code for code, ok in ((ours.code, EXPECTED[role][0]), (theirs.code, EXPECTED[role][1])) if ok}
    page = client.get("/institutions/").content.decode()
    assert {code for code in (ours.code, theirs.code) if f"/institutions/{code}/" in page} == expected
    api = client.get("/api/institutions/").json()
    assert {item["code"] for item in api["items"]} == expected


@pytest.mark.parametrize("role", EXPECTED)
def test_import_page_is_for_the_office_only(role, role_users):
    response = client_for(role_users[role]).get("/institutions/import/")
    assert response.status_code == (200 if EXPECTED[role][2] else 403)


def test_anonymous_is_sent_to_login_from_pages_and_refused_by_the_api(ours):
    client = client_for(None)
    for url in ("/institutions/", f"/institutions/{ours.code}/", "/institutions/import/", "/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get("/api/institutions/").status_code == 401
    assert client.get(f"/api/institutions/{ours.code}").status_code == 401


def test_unknown_code_is_404(office):
    assert client_for(office).get("/institutions/0199999999/").status_code == 404
    assert client_for(office).get("/api/institutions/0199999999").status_code == 404


def test_import_page_writes_a_good_file(office):
    from pingjian.web.institutions.models import Institution

    csv = "醫事機構代碼,機構名稱,機構類型,縣市,地址\n0190000101,晴天產後護理之家,產後護理之家,台北市,1號\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "good.csv"
    response = client_for(office).post("/institutions/import/", {"file": upload})
    assert response.status_code == 302
    assert Institution.objects.filter(code="0190000101", county="TPE").exists()


def test_import_page_reports_every_bad_row_and_writes_nothing(office):
    from pingjian.web.institutions.models import Institution

    csv = (
        "醫事機構代碼,機構名稱,機構類型,縣市,地址\n"
        "0190000101,好的機構,產後護理之家,臺北市,臺北市1號\n"
        "123,壞代碼,產後護理之家,臺北市,臺北市2號\n"
        "0190000103,壞縣市,產後護理之家,火星市,臺北市3號\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "bad.csv"
    response = client_for(office).post("/institutions/import/", {"file": upload})
    assert response.status_code == 422
    body = response.content.decode()
    assert "醫事機構代碼" in body and "火星市" in body
    assert ">3<" in body and ">4<" in body
    assert not Institution.objects.filter(code="0190000101").exists()


def test_institution_user_cannot_post_an_import(institution_user):
    response = client_for(institution_user).post("/institutions/import/", {})
    assert response.status_code == 403
