from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pingjian.web.accounts.models import Membership
from pingjian.web.accounts.permissions import institution_ids_of, is_office_staff
from pingjian.web.accounts.roles import Role
from pingjian.web.audit.display import changes_of, event_label
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import (
    do_change_owner,
    do_close_institution,
    do_create_institution,
    do_import_institutions,
    do_reopen_institution,
    do_suspend_institution,
    do_update_institution,
)
from .csv_import import COLUMNS, parse_institutions_csv
from .forms import (
    ImportForm,
    InstitutionFilterForm,
    InstitutionForm,
    OwnerChangeForm,
    StatusChange,
    StatusChangeForm,
    allowed_status_changes,
)
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
    can_add = request.user.has_perm("institutions.add_institution")
    return render(request, template, {"form": form, "page": page, "can_add": can_add})


@login_required
@require_GET
def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_object_for_user(Institution, request.user, code=code)
    office = is_office_staff(request.user)
    # The institution's own history (owner changes, suspensions, edits) is part of its record, so
    # whoever may see the institution sees it; who made each change is shown to the office only.
    history = [
        {"event": e, "label": event_label(e.event_type), "changes": changes_of(e)}
        for e in AuditEvent.objects.for_subject(institution).order_by("-seq")[:50]
    ]
    members = None
    if office or institution.pk in institution_ids_of(request.user):
        members = (
            Membership.objects.active()
            .filter(institution=institution, role=Role.INSTITUTION)
            .select_related("user")
            .order_by("user__username")
        )
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "status": institution.status_on(timezone.localdate()),
            "owner_terms": institution.owner_terms.order_by("-started_on"),
            "history": history,
            "show_actor": office,
            "members": members,
            "can_change": request.user.has_perm("institutions.change_institution", institution),
            "can_change_status": bool(allowed_status_changes(institution)),
        },
    )


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "institutions.add_institution")
    form = InstitutionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = do_create_institution(
                actor=request.user, reason=form.cleaned_data["reason"], code=form.cleaned_data["code"],
                **form.changes(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("已新增機構 %(name)s") % {"name": institution.name})
            return redirect("institutions:detail", institution.code)
    return render(
        request, "institutions/form.html", {"form": form, "institution": None}, status=_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_object_for_user(
        Institution, request.user, perm="institutions.change_institution", code=code
    )
    form = InstitutionForm(request.POST if request.method == "POST" else None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_institution(
                institution, actor=request.user, reason=form.cleaned_data["reason"], **form.changes()
            )
        except ValidationError as exc:
            institution.refresh_from_db()
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("機構資料已更新"))
            return redirect("institutions:detail", institution.code)
    return render(
        request, "institutions/form.html", {"form": form, "institution": institution}, status=_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def owner_change(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_object_for_user(
        Institution, request.user, perm="institutions.change_institution", code=code
    )
    form = OwnerChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_change_owner(
                institution, owner_name=data["owner_name"].strip(), started_on=data["started_on"],
                actor=request.user, reason=data["reason"],
            )  # fmt: skip
        except (ValueError, ValidationError) as exc:
            form.add_error("started_on", _refusal(exc))
        else:
            messages.success(request, _("已記錄負責人變更"))
            return redirect("institutions:detail", institution.code)
    return render(
        request,
        "institutions/owner_change.html",
        {"form": form, "institution": institution, "current": institution.current_owner},
        status=_status(form),
    )


STATUS_ACTIONS = {
    StatusChange.SUSPEND: do_suspend_institution,
    StatusChange.REOPEN: do_reopen_institution,
    StatusChange.CLOSE: do_close_institution,
}


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, code: str) -> HttpResponse:
    """停業、復業、歇業: one form, the choices offered depend on the current status."""
    institution = get_object_for_user(
        Institution, request.user, perm="institutions.change_institution", code=code
    )
    form = StatusChangeForm(request.POST if request.method == "POST" else None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            STATUS_ACTIONS[data["change"]](
                institution, on=data["on"], actor=request.user, reason=data["reason"]
            )
        except (ValueError, ValidationError) as exc:
            institution.refresh_from_db()
            form.add_error("on", _refusal(exc))
        else:
            messages.success(request, _("已記錄%(change)s") % {"change": StatusChange(data["change"]).label})
            return redirect("institutions:detail", institution.code)
    return render(
        request,
        "institutions/status_change.html",
        {"form": form, "institution": institution, "status": institution.status_on(timezone.localdate())},
        status=_status(form),
    )


def _status(form) -> int:  # type: ignore[no-untyped-def]
    return 422 if form.is_bound and form.errors else 200


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
