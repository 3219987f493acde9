from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pingjian.web.core.access import require_perm

from .models import AuditEvent


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "audit.view_auditevent")
    events = AuditEvent.objects.visible_to(request.user).select_related("actor").order_by("-seq")
    if request.GET.get("type"):
        events = events.filter(event_type=request.GET["type"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page})
