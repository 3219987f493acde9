from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingjian.rules import roc
from pingjian.rules.errors import CalendarError
from pingjian.web.accounts.permissions import bureau_counties_of
from pingjian.web.applications.models import Application
from pingjian.web.applications.selectors import get_application
from pingjian.web.core.columns import columns_for, rows_with_columns

from .actions import do_record_preliminary_review, do_return_survey_reply, do_send_survey_reply


@login_required
@require_POST
def preliminary(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_application(request, application_pk, perm="bureau.review_application")
    rows: dict[int, str] = {}
    dues: dict[int, Any] = {}
    notes: dict[int, str] = {}
    try:
        for key, value in request.POST.items():
            if key.startswith("row-") and value:
                rows[int(key[4:])] = value
            elif key.startswith("due-") and value.strip():
                dues[int(key[4:])] = roc.parse_date(value)
            elif key.startswith("note-"):
                notes[int(key[5:])] = value.strip()
        do_record_preliminary_review(
            application, actor=request.user, rows=rows, remediation_due=dues, notes=notes
        )
    except CalendarError:
        messages.error(request, _("日期格式不正確，請輸入如 111/12/10。"))
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已登錄初審結果。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def survey_reply_send(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_application(request, application_pk)
    try:
        do_send_survey_reply(application, actor=request.user, statement=request.POST.get("statement", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已寄送衛生局調查回復單。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def survey_reply_return(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_application(request, application_pk, perm="bureau.review_application")
    try:
        do_return_survey_reply(
            application,
            actor=request.user,
            verified=request.POST.get("verified") == "yes",
            findings=request.POST.get("findings", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已寄回調查回復單。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_GET
def county_list(request: HttpRequest) -> HttpResponse:
    """The bureau's county: applications awaiting its preliminary review or survey verification,
    with the columns other apps add (core/columns.py: the visits app's visit date)."""
    counties = bureau_counties_of(request.user)
    applications = list(
        Application.objects.visible_to(request.user)
        .filter(institution__county__in=counties)
        .select_related("institution", "cycle", "program_version")
        .order_by("cycle", "institution__code")
    )
    columns = columns_for("bureau_list", request, applications)
    return render(
        request,
        "bureau/list.html",
        {"rows": rows_with_columns(applications, columns), "columns": columns, "colspan": 4 + len(columns)},
    )
