"""Issue 16 item 5 (accounts): lockout after failed log-ins (audited in words), argon2, the
password policy, TOTP two-factor for office, admin and bureau roles outside demo mode (not in
it), the log-in history (own; everyone's for the office), session cookies and expiry."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingjian.web.accounts.models import User
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.counties import County
from tests.web.support import PASSWORD, client_for, make_user

LOGIN = "/accounts/login/"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def unthrottle(device: TOTPDevice) -> None:
    """A wrong code throttles the device for a second (then two, four …): as if the person waited."""
    waited = {"throttling_failure_count": 0, "throttling_failure_timestamp": None}
    TOTPDevice.objects.filter(pk=device.pk).update(**waited)


def sign_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_new_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from django.conf import settings as live

    assert live.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = User.objects.create(username="lin")
    user.set_password("醫評-2026-keep-safe")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")


def test_the_password_policy_wants_twelve_characters_and_no_common_or_digit_only_password(db):
    for weak in ("short-pw1", "password1234", "849201736455"):
        with pytest.raises(ValidationError):
            validate_password(weak, User(username="lin"))
    validate_password("醫評-2026-keep-safe", User(username="lin"))


def test_five_failed_log_ins_lock_the_account_out_and_the_lockout_is_audited_in_words(db):
    make_user("chen")
    client = Client()
    for _ in range(4):
        assert sign_in(client, "chen", "wrong-password").status_code == 200
    locked = sign_in(client, "chen", "wrong-password")
    assert locked.status_code == 429 and "暫停登入" in locked.content.decode()
    # the right password is refused too while the lockout lasts
    still = sign_in(client, "chen")
    assert still.status_code == 429 and "_auth_user_id" not in client.session
    events = list(AuditEvent.objects.filter(event_type__startswith="login.").order_by("seq"))
    assert [e.event_type for e in events] == [EventType.LOGIN_FAILED] * 4 + [EventType.LOGIN_LOCKED_OUT] * 2
    assert events[-1].type_label == "登入失敗次數過多，暫停登入"
    assert events[-1].after["ip"] == "127.0.0.1" and events[-1].subject_id == str(User.objects.get().pk)


def test_a_success_resets_the_failure_count(db):
    make_user("chen")
    client = Client()
    for _ in range(4):
        sign_in(client, "chen", "wrong-password")
    assert sign_in(client, "chen").status_code == 302
    assert sign_in(Client(), "chen", "wrong-password").status_code == 200  # counting from zero again


@pytest.mark.parametrize("role", ["office", "program_admin", "bureau"])
def test_office_admin_and_bureau_must_enrol_a_totp_device_before_anything_else(db, role):
    grant = {"county": County.TAIPEI} if role == "bureau" else {}
    make_user("wang", role, **grant)
    client = Client()
    assert sign_in(client, "wang").status_code == 302
    for path in ("/dashboard/", "/accounts/history/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/enrol/")
    assert client.get("/api/accounts/me").status_code == 403
    assert client.get("/accounts/two-factor/enrol/").status_code == 200


def test_enrolment_shows_a_local_qr_code_and_the_first_code_confirms_the_device(db):
    user = make_user("wang", "office")
    client = Client()
    sign_in(client, "wang")
    page = client.get("/accounts/two-factor/enrol/?next=/dashboard/").content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/accounts/two-factor/enrol/", {"token": "000000", "next": "/dashboard/"})
    assert wrong.status_code == 422 and not TOTPDevice.objects.filter(confirmed=True).exists()
    unthrottle(device)
    done = client.post("/accounts/two-factor/enrol/", {"token": code_for(device), "next": "/dashboard/"})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.OTP_ENROLLED, actor_id=user.pk).exists()


def test_an_enrolled_account_verifies_a_code_after_its_password(db):
    user = make_user("wang", "office")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "wang")
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/verify/")
    # with a device already set up, enrolment would let a password alone replace it: not allowed
    assert client.get("/accounts/two-factor/enrol/")["Location"].startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"token": "123456"}).status_code == 422
    unthrottle(device)
    ok = client.post("/accounts/two-factor/verify/", {"token": code_for(device), "next": "/dashboard/"})
    assert ok.status_code == 302 and client.get("/dashboard/").status_code == 200
    kinds = list(
        AuditEvent.objects.filter(event_type__in=[EventType.OTP_FAILED, EventType.OTP_VERIFIED])
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert kinds == [EventType.OTP_FAILED, EventType.OTP_VERIFIED]


@pytest.mark.parametrize("role", ["institution", "surveyor", "nhi"])
def test_other_roles_sign_in_with_their_password_alone(db, role, ours):
    grant = {"institution": ours} if role == "institution" else {}
    make_user("lee", role, **grant)
    client = Client()
    sign_in(client, "lee")
    assert client.get("/dashboard/").status_code == 200


def test_demo_mode_keeps_password_only_log_in_for_the_office(db, settings):
    settings.DEMO = True
    make_user("office-demo", "office")
    client = Client()
    sign_in(client, "office-demo")
    assert client.get("/dashboard/").status_code == 200


def test_the_log_in_history_shows_ones_own_and_the_office_sees_everyones(db):
    office = make_user("chen", "office")
    lee = make_user("lee")
    sign_in(Client(), "lee", "wrong-password")
    sign_in(Client(), "lee")
    sign_in(Client(), "nobody-here", "x")
    own = client_for(lee).get("/accounts/history/").content.decode()
    assert own.count("127.0.0.1") == 2 and "登入失敗" in own and "登入成功" in own
    assert "nobody-here" not in own
    other = make_user("wu")
    assert "127.0.0.1" not in client_for(other).get("/accounts/history/").content.decode()
    everyone = client_for(office).get("/accounts/history/").content.decode()
    assert "nobody-here" in everyone and "<code>lee</code>" in everyone
    only_lee = client_for(office).get("/accounts/history/?username=lee").content.decode()
    assert "nobody-here" not in only_lee


def test_log_out_is_in_the_history(db):
    user = make_user("lee")
    client = Client()
    sign_in(client, "lee")
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(event_type=EventType.LOGGED_OUT, actor_id=user.pk).exists()


def test_session_and_csrf_cookies_are_httponly_lax_and_the_session_ends_when_idle(db, settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_HTTPONLY and live.CSRF_COOKIE_HTTPONLY
    assert live.SESSION_COOKIE_SAMESITE == live.CSRF_COOKIE_SAMESITE == "Lax"
    assert live.SESSION_SAVE_EVERY_REQUEST and live.SESSION_COOKIE_AGE == 30 * 60
    make_user("lee")
    client = Client()
    response = sign_in(client, "lee")
    cookie = response.cookies[live.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_security_headers_and_a_strict_content_security_policy(db):
    response = Client().get(LOGIN)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_office_resets_a_lost_device_with_a_reason_and_the_person_enrols_again(db, office):
    user = make_user("wang", "bureau", county=County.TAIPEI)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    staff = client_for(office)
    assert "重設雙重驗證" in staff.get(f"/accounts/users/{user.pk}/").content.decode()
    staff.post(f"/accounts/users/{user.pk}/two-factor/reset/", {"reason": ""})
    assert TOTPDevice.objects.filter(user=user).exists()  # no reason, no reset
    staff.post(f"/accounts/users/{user.pk}/two-factor/reset/", {"reason": "手機遺失"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(event_type=EventType.OTP_RESET)
    assert event.actor_id == office.pk and event.reason == "手機遺失"
    client = Client()
    sign_in(client, "wang")
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/enrol/")
    others = client_for(user).post(f"/accounts/users/{office.pk}/two-factor/reset/", {"reason": "x"})
    assert others.status_code == 404  # a bureau officer sees no accounts


def test_a_session_idle_for_more_than_thirty_minutes_has_ended(db):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    make_user("lee")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "lee")
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/dashboard/").status_code == 200  # a request: the half hour starts again
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_failures_from_another_address_count_apart(db):
    """The lockout is per username and address: someone failing from one address does not lock
    the person out at their own."""
    make_user("chen")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post(LOGIN, {"username": "chen", "password": "guess"})
    assert sign_in(attacker, "chen").status_code == 429
    assert sign_in(Client(), "chen").status_code == 302
    locked = AuditEvent.objects.filter(event_type=EventType.LOGIN_LOCKED_OUT).first()
    assert locked.after["ip"] == "203.0.113.9"


def test_a_blank_form_is_no_attempt_and_leaves_no_history(db):
    assert Client().post(LOGIN, {"username": "", "password": ""}).status_code == 200
    assert not AuditEvent.objects.filter(event_type__startswith="login.").exists()
