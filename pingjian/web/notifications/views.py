from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Notification


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.visible_to(request.user)[:100]
    return render(request, "notifications/notifications.html", {"notifications": rows})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:list")
