"""Password change, and reset by e-mail with Django's own views, styled in the site's frame (issue 18)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.web.support import PASSWORD, authenticate, client_for, make_user


def test_a_user_changes_the_password_and_signs_in_with_the_new_one(db):
    user = make_user("lin", "office")
    client = client_for(user)
    page = client.get("/accounts/password/change/").content.decode()
    assert "變更密碼" in page and 'class="site-header"' in page
    done = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "醫評-2026-keep", "new_password2": "醫評-2026-keep"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/change/done/"
    assert authenticate("lin", "醫評-2026-keep")


def test_a_demo_account_cannot_change_its_shared_password(db, settings):
    settings.DEMO = True
    user = make_user("office-demo", "office")
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    response = client_for(user).post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "another-pass-99", "new_password2": "another-pass-99"},
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_by_email_sends_a_chinese_link_that_sets_a_new_password(db):
    user = make_user("chen", "office")
    user.email = "chen@example.tw"
    user.save(update_fields=["email"])
    client = Client()
    assert "忘記密碼" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/password/reset/", {"email": "chen@example.tw"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chen@example.tw"] and "重設密碼" in message.subject and "chen" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "設定新密碼" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "新密碼-2026-ok-long", "new_password2": "新密碼-2026-ok-long"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    assert authenticate("chen", "新密碼-2026-ok-long")


def test_reset_is_silent_about_unknown_addresses_and_never_mails_a_demo_account(db):
    demo = make_user("nhi-demo", "nhi")
    demo.email, demo.is_demo = "nhi@demo.pingjian.tw", True
    demo.save(update_fields=["email", "is_demo"])
    for address in ("nobody@example.tw", "nhi@demo.pingjian.tw"):
        response = Client().post("/accounts/password/reset/", {"email": address})
        assert response.status_code == 302
    assert mail.outbox == []
