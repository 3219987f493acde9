"""403, 404, 500 and the CSRF failure page: Traditional Chinese (English when chosen), in the site's
frame, with a way back, never the internal reason (issue 18)."""

from __future__ import annotations

from django.test import Client

from tests.web.support import client_for


def _assert_framed(html: str) -> None:
    assert 'class="site-header"' in html and 'data-testid="way-back"' in html and 'href="/dashboard/"' in html


def test_404_is_in_chinese_in_the_frame_with_a_way_back(db, institution_user):
    response = client_for(institution_user).get("/applications/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    _assert_framed(html)
    assert "找不到這個頁面" in html and 'lang="zh-Hant-TW"' in html


def test_403_names_no_internal_permission(db, institution_user):
    response = client_for(institution_user).get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 403
    _assert_framed(html)
    assert "您的帳號無權執行此動作" in html and "accounts." not in html.split('id="main"')[1]


def test_500_is_framed_and_hides_the_exception(db, settings):
    settings.ROOT_URLCONF = "tests.web.core.error_urls"
    response = Client(raise_request_exception=False).get("/test-failure/")
    html = response.content.decode()
    assert response.status_code == 500
    _assert_framed(html)
    assert "系統發生錯誤" in html and "must not show" not in html


def test_csrf_failure_is_in_chinese_in_the_frame(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    _assert_framed(html)
    assert "表單已過期" in html and "CSRF cookie not set" not in html


def test_error_pages_speak_english_when_chosen(db, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html and "找不到這個頁面" not in html
    csrf = Client(enforce_csrf_checks=True)
    csrf.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The form has expired" in csrf.post("/accounts/login/", {}).content.decode()
