"""The role panels of the dashboard: one per role the user holds (the other apps' panels are
found by discovery, see views.dashboard)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from pingjian.web.accounts.permissions import roles_of, sees_everything
from pingjian.web.accounts.roles import Role
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.panels import Panel
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.visits.models import SurveyorAssignment


def role_panels(request: Any) -> list[Panel]:
    user = request.user
    roles = roles_of(user)
    visible = Institution.objects.visible_to(user)
    panels: list[Panel] = []
    if sees_everything(user):
        by_type = dict(visible.values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
        rows = [(label, by_type.get(value, 0)) for value, label in InstitutionType.choices]
        panels.append(
            Panel("dashboard/panels/office.html", {"by_type": rows, "total": sum(by_type.values())}, 10)
        )
        panels.append(
            Panel(
                "dashboard/panels/recent_audit.html",
                {"events": AuditEvent.objects.visible_to(user).order_by("-seq")[:8]},
                90,
            )
        )
    if Role.INSTITUTION in roles:
        panels.append(
            Panel(
                "dashboard/panels/institution.html",
                {
                    "institutions": visible.filter(
                        memberships__user=user,
                        memberships__role=Role.INSTITUTION,
                        memberships__revoked_at__isnull=True,
                    ).distinct()
                },
                10,
            )
        )
    if Role.SURVEYOR in roles:
        assignments = (
            SurveyorAssignment.objects.active()
            .filter(surveyor=user, institution__in=visible)
            .select_related("institution")
        )
        panels.append(Panel("dashboard/panels/surveyor.html", {"assignments": assignments}, 10))
    if Role.BUREAU in roles:
        panels.append(
            Panel(
                "dashboard/panels/bureau.html",
                {"institutions": visible.order_by("type", "code")[:50], "count": visible.count()},
                10,
            )
        )
    if Role.NHI in roles:
        panels.append(
            Panel("dashboard/panels/nhi.html", {"count": visible.count(), "institutions": visible[:20]}, 10)
        )
    return panels
