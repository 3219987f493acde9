"""The navigation's entry to the determination meetings: office staff (program administrators,
who approve, included) and the surveyors seated on a meeting."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_office_staff

from .models import Member


def _sees_meetings(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(is_office_staff(user) or Member.objects.filter(user=user).exists())


NAV_EXTENSIONS = [(_("評定會議"), "decisions:list", _sees_meetings)]
