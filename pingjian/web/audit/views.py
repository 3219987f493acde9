from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pingjian.web.core.access import require_perm

from .chain import verify_chain
from .display import changes_of, event_label
from .forms import AuditFilterForm
from .models import AuditEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by subject, actor, event type and date (ROC)."""
    require_perm(request.user, "audit.view_auditevent")
    events = AuditEvent.objects.visible_to(request.user)
    event_types = list(events.order_by("event_type").values_list("event_type", flat=True).distinct())
    params = request.GET.copy()
    if "type" in params and "event_type" not in params:  # the old ?type= links
        params["event_type"] = params["type"]
    form = AuditFilterForm(params or None, event_types=event_types)
    if form.is_valid():
        data = form.cleaned_data
        if data["subject"]:
            subject = data["subject"].strip()
            kind, _sep, ident = subject.partition(":")
            condition = Q(subject_label__icontains=subject)
            if ident:
                condition |= Q(subject_type=kind.strip(), subject_id=ident.strip())
            events = events.filter(condition)
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"].strip())
        if data["event_type"]:
            events = events.filter(event_type=data["event_type"])
        if data["since"]:
            events = events.filter(occurred_at__gte=_day_start(data["since"]))
        if data["until"]:
            events = events.filter(occurred_at__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    rows = [{"event": e, "label": event_label(e.event_type), "changes": changes_of(e)} for e in page]
    return render(request, "audit/list.html", {"form": form, "page": page, "rows": rows})


@login_required
@require_GET
def chain_status(request: HttpRequest) -> HttpResponse:
    """Walk the whole chain (loaded by the audit page after it renders, so the list stays fast)."""
    require_perm(request.user, "audit.view_auditevent")
    result = verify_chain()
    return render(request, "audit/chain_status.html", {"result": result, "checked_at": timezone.now()})
