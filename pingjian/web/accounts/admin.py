"""The TOTP devices stay out of the admin: a person's second factor is reset on their account page
(accounts.actions.do_reset_two_factor, audited), never edited unaudited."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
