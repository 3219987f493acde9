"""The visits app's entries in the navigation bar (dashboard.navigation discovers them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAV_EXTENSIONS = [
    (_("利益迴避"), "visits:conflicts", lambda user: user.has_perm("visits.manage_surveyors")),
    (
        _("申報委員迴避"),
        "visits:institution_conflicts",
        lambda user: user.has_perm("visits.declare_conflict_as_institution"),
    ),
    (_("訪查行事曆"), "visits:calendar_feed", lambda user: user.has_perm("visits.subscribe_calendar")),
]
