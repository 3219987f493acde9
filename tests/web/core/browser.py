"""Helpers for the browser tests (Playwright driving the system Chromium, see the root conftest):
sign in without the login form, watch for requests to other hosts and for CSP violations, tablet
viewport, screenshots under test-artifacts/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web.support import PASSWORD, client_for, totp_code

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
TABLET = {"width": 1024, "height": 768}  # a tablet held landscape


@dataclass
class Watch:
    """Every request to another host, and every console message about the Content-Security-Policy."""

    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.foreign_requests == [], self.foreign_requests
        assert self.csp_violations == [], self.csp_violations


def open_tablet(page: Any, live_server: Any, user: Any = None) -> Watch:
    """Tablet viewport, signed in as `user` (a session cookie, as the login form would set), watched."""
    page.set_viewport_size(TABLET)
    watch = Watch()
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else watch.foreign_requests.append(r.url),
    )
    page.on(
        "console",
        lambda m: watch.csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    if user is not None:
        client = client_for(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return watch


def sign_in_with_form(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    """The log-in form, then (office, admin and bureau outside demo mode) the second factor: the
    code of the account's TOTP device, set up on the enrolment page when it has none yet."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("使用者名稱").fill(username)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()
    # the answer to the form, not the form page itself (already loaded, so a load-state wait
    # returns at once and the two-factor step could be missed under load)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/" in page.url:
        enrolling = "/enrol/" in page.url
        device = TOTPDevice.objects.get(user__username=username, confirmed=not enrolling)
        page.get_by_label("驗證碼").fill(totp_code(device))
        page.get_by_role("button", name="確認並完成設定" if enrolling else "驗證").click()
    page.wait_for_url(f"{base}/dashboard/")


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
