from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pingjian.web.accounts.permissions import roles_of
from pingjian.web.accounts.roles import Role
from pingjian.web.core.discovery import domain_modules

from .panels import role_panels


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/landing.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in user's work: one panel per role they hold, plus panels from other apps."""
    panels = role_panels(request)
    for _app, module in domain_modules("panels"):
        if hasattr(module, "dashboard_panels"):
            panels.extend(module.dashboard_panels(request))
    panels.sort(key=lambda panel: panel.order)
    role_labels = [Role(r).label for r in sorted(roles_of(request.user))]
    return render(request, "dashboard/dashboard.html", {"panels": panels, "role_labels": role_labels})
