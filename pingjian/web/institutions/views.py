from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import do_import_institutions
from .csv_import import COLUMNS, parse_institutions_csv
from .forms import ImportForm, InstitutionFilterForm
from .models import Institution


def filter_institutions(queryset, params):  # type: ignore[no-untyped-def]
    form = InstitutionFilterForm(params or None)
    if form.is_valid():
        q = form.cleaned_data.get("q")
        if q:
            queryset = queryset.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
        if form.cleaned_data.get("county"):
            queryset = queryset.filter(county=form.cleaned_data["county"])
        if form.cleaned_data.get("type"):
            queryset = queryset.filter(type=form.cleaned_data["type"])
    return form, queryset


@login_required
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    form, queryset = filter_institutions(Institution.objects.visible_to(request.user), request.GET)
    page = Paginator(queryset.order_by("county", "code"), 50).get_page(request.GET.get("page"))
    template = "institutions/list.html#results" if request.htmx else "institutions/list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
@require_GET
def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_object_for_user(Institution, request.user, code=code)
    events = []
    if request.user.has_perm("audit.view_auditevent"):
        events = AuditEvent.objects.visible_to(request.user).for_subject(institution).order_by("-seq")[:20]
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "owner_terms": institution.owner_terms.order_by("-started_on"),
            "events": events,
            "can_change": request.user.has_perm("institutions.change_institution", institution),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_import(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "institutions.import_institutions")
    plan = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            plan = parse_institutions_csv(upload.read(), source=upload.name)
            if plan.ok:
                summary = do_import_institutions(plan.rows, actor=request.user, source=upload.name)
                messages.success(
                    request,
                    _("匯入完成：新增 %(created)d、更新 %(updated)d、未變更 %(unchanged)d")
                    % {
                        "created": summary.created,
                        "updated": summary.updated,
                        "unchanged": summary.unchanged,
                    },
                )
                return redirect("institutions:list")
    else:
        form = ImportForm()
    status = 422 if plan is not None and not plan.ok else 200
    return render(
        request,
        "institutions/import.html",
        {"form": form, "plan": plan, "columns": COLUMNS.values()},
        status=status,
    )
