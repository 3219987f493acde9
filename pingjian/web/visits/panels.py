"""The visits app's entries in the navigation bar and its dashboard panel (the roof discovers
both)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_surveyor
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .models import Visit

NAV_EXTENSIONS = [
    (_("利益迴避"), "visits:conflicts", lambda user: user.has_perm("visits.manage_surveyors")),
    (
        _("申報委員迴避"),
        "visits:institution_conflicts",
        lambda user: user.has_perm("visits.declare_conflict_as_institution"),
    ),
    (_("訪查行事曆"), "visits:calendar_feed", lambda user: user.has_perm("visits.subscribe_calendar")),
]


def dashboard_panels(request: Any) -> list[Panel]:
    """A surveyor's visits today and ahead, first on their dashboard (conflicted ones never)."""
    user = request.user
    if not is_surveyor(user):
        return []
    today = local_today()
    visits = (
        Visit.objects.visible_to(user)
        .filter(members__surveyor=user, day__gte=today)
        .select_related("application__institution")
        .distinct()
        .order_by("day", "half")
    )
    rows = list(visits[:20])
    return [
        Panel(
            "visits/panels/my_visits.html",
            {"today": [v for v in rows if v.day == today], "upcoming": [v for v in rows if v.day > today]},
            4,
        )
    ]
