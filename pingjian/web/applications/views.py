from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from pingjian.rules.roc import roc_date
from pingjian.web.accounts.permissions import bureau_counties_of
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.clock import local_today
from pingjian.web.core.counties import County
from pingjian.web.core.sections import render_sections
from pingjian.web.cycles.models import Cycle
from pingjian.web.institutions.models import Institution

from . import actions
from .appeals import appeal_period, closable_from
from .forms import (
    AppealWaiverForm,
    ApplicationFilterForm,
    FeeForm,
    NoticeReceiptForm,
    TransitionForm,
    UnlockForm,
)
from .guidance import next_step
from .models import Application
from .selectors import get_application
from .workflow import TRANSITIONS, State


def _filtered(request: HttpRequest) -> tuple[ApplicationFilterForm, Any]:
    """The applications the user sees, searched and filtered by the list's form (GET)."""
    visible = Application.objects.visible_to(request.user).select_related(
        "institution", "cycle", "program_version", "renews__cycle"
    )
    cycles = Cycle.objects.filter(pk__in=visible.values("cycle")).select_related("program_version")
    programs = sorted({(c.program_version.program_id, c.program_version.title) for c in cycles})
    form = ApplicationFilterForm(
        request.GET or None,
        programs=[(pid, title) for pid, title in programs],
        cycles=[(str(c.pk), c.title) for c in cycles.order_by("-pk")],
        states=list(State.choices),
        counties=list(County.choices),
    )
    queryset = visible
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(institution__name__icontains=data["q"]) | Q(institution__code__icontains=data["q"])
            )
        if data["program"]:
            queryset = queryset.filter(program_version__program_id=data["program"])
        if data["cycle"]:
            queryset = queryset.filter(cycle_id=data["cycle"])
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["county"]:
            queryset = queryset.filter(institution__county=data["county"])
        if data["overdue"]:
            today = local_today()
            queryset = queryset.filter(
                Q(state=State.SUPPLEMENT_REQUESTED, supplement_due__lt=today)
                | Q(state=State.EVIDENCE_DUE, evidence_due__lt=today)
            )
    return form, queryset.order_by("-state_changed_at", "-pk")


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/list.html",
        {"page": page, "form": form, "query": query.urlencode(), "total": queryset.count()},
    )


EXPORT_COLUMNS = (
    gettext_lazy("醫事機構代碼"),
    gettext_lazy("機構名稱"),
    gettext_lazy("縣市"),
    gettext_lazy("評鑑計畫"),
    gettext_lazy("梯次"),
    gettext_lazy("狀態"),
    gettext_lazy("送件日"),
    gettext_lazy("補件期限"),
    gettext_lazy("申報資料繳交期限"),
    gettext_lazy("實地訪查日"),
    gettext_lazy("總分"),
    gettext_lazy("評鑑結果"),
    gettext_lazy("申復期限"),
    gettext_lazy("續約自（原申請案梯次）"),
)


def _export_rows(queryset: Any) -> Any:
    """The filtered list's rows as people read them: dates in ROC form, words not codes."""
    for a in queryset.iterator():
        yield [
            a.institution.code,
            a.institution.name,
            a.institution.get_county_display(),
            a.program_version.title,
            a.cycle.title,
            a.get_state_display(),
            *(
                roc_date(d) if d else ""
                for d in (a.submitted_on, a.supplement_due, a.evidence_due, a.visit_date)
            ),
            "" if a.total is None else a.total,
            a.get_result_display() if a.result else "",
            roc_date(a.appeal_due) if a.appeal_due else "",
            a.renews.cycle.title if a.renews else "",  # the JCT renewal (續約): the renewed application
        ]


def _export_name(extension: str) -> str:
    return f"申請案_{roc_date(local_today()).replace('/', '')}.{extension}"


@login_required
@require_GET
def application_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (UTF-8 with a byte order mark, so spreadsheet programs read the
    Chinese)."""
    _form, queryset = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_export_name("csv")
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(c) for c in EXPORT_COLUMNS])
    writer.writerows(_export_rows(queryset))
    return response


@login_required
@require_GET
def application_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The same filtered list as an Excel workbook (openpyxl, written row by row)."""
    _form, queryset = _filtered(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("申請案")))
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    for row in _export_rows(queryset):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_export_name("xlsx")
    )
    return response


def detail_context(request: HttpRequest, application: Application) -> dict:
    user = request.user
    withheld = actions.withheld_transitions(request, application)
    forms = [
        TransitionForm(transition=t, initial={"version": application.version})
        for t in actions.available_transitions(user, application)
        if t.name not in withheld
    ]
    roles = actions.roles_for(user, application)
    is_office = actions.OFFICE in roles
    step = next_step(application, roles, local_today())
    taken = actions.next_step_from_apps(request, application) if is_office else None
    if step is not None and taken and step.primary in withheld:
        step.now, step.primary = taken["now"], ""
        step.link_url, step.link_label = taken["url"], taken["label"]
    primary = [f for f in forms if step is not None and f.transition.name == step.primary]
    events = []
    if user.has_perm("audit.view_auditevent"):
        events = AuditEvent.objects.visible_to(user).for_subject(application).order_by("-seq")[:30]
    context = {
        "application": application,
        "next_step": step,
        "primary_forms": primary,
        "transition_forms": [f for f in forms if f not in primary and not f.transition.consequence],
        "irreversible_forms": [f for f in forms if f.transition.consequence],
        "history": application.transitions.select_related("actor").order_by("at", "pk"),
        "is_office": is_office,
        "fee_form": FeeForm(
            initial={
                "version": application.version,
                "amount": application.fee_amount,
                "paid_on": application.fee_paid_on,
                "receipt_no": application.fee_receipt_no,
            }
        )
        if is_office
        else None,
        "unlock_form": UnlockForm() if is_office and application.is_locked else None,
        "receipt_form": _receipt_form(user, application, is_office),
        "waiver_form": _waiver_form(user, application, is_office),
        "appeal_period": appeal_period(application.program_version.program()),
        "closable_from": closable_from(application),
        "unlocks": application.unlocks.select_related("unlocked_by").order_by("-unlocked_at"),
        "events": events,
        "renewals": application.renewals.select_related("cycle").order_by("pk"),
        "renewal": _renewal_offer(user, application),
    }
    return _with_sections(request, application, context)


def _renewal_offer(user, application: Application) -> dict | None:  # type: ignore[no-untyped-def]
    """The JCT renewal (續約) panel for the office and the institution's members: on a finalised
    pass not renewed yet whose validity is known, with the button, or why not now."""
    if application.state != State.FINAL or not actions.may_open_renewal(user, application):
        return None
    window = actions.renewal_window(application) if not application.renewals.exists() else None
    if window is None or not actions.is_jct_pass(application):
        return None
    first, last = window
    return {"first": first, "last": last, "refusal": actions.renewal_refusal(application, local_today())}


def _receipt_form(user, application: Application, is_office: bool) -> NoticeReceiptForm | None:  # type: ignore[no-untyped-def]
    """Offered while the result awaits appeal: office staff record or correct the delivery date,
    an institution member confirms receipt once."""
    if application.state != State.DECIDED:
        return None
    member = actions.INSTITUTION in actions.roles_for(user, application)
    if not is_office and not (member and application.notice_received_on is None):
        return None
    return NoticeReceiptForm(initial={"version": application.version}, office=is_office)


def _waiver_form(user, application: Application, is_office: bool) -> AppealWaiverForm | None:  # type: ignore[no-untyped-def]
    """Offered while the result awaits appeal and no waiver is recorded, to the institution's
    members (their declaration) and office staff (a written one received on paper)."""
    if application.state != State.DECIDED or application.appeal_waived_on is not None:
        return None
    if not is_office and actions.INSTITUTION not in actions.roles_for(user, application):
        return None
    return AppealWaiverForm(initial={"version": application.version}, office=is_office)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    return render(request, "applications/detail.html", detail_context(request, application))


def _with_sections(request: HttpRequest, application: Application, context: dict) -> dict:
    """The page's context and the sections other apps add to it (evidence, bureau, documents)."""
    return {**context, "sections": render_sections("application", request, application, context)}


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = get_application(request, pk)
    transition = TRANSITIONS.get(name)
    if transition is None:
        return HttpResponse(status=404)
    form = TransitionForm(request.POST, transition=transition)
    status = 200
    if name in actions.withheld_transitions(request, application):
        messages.error(
            request,
            _("「%(label)s」不在此操作：請於本頁之實地評分或評定結果與申復段落辦理。")
            % {"label": transition.label},
        )
        status = 409
    elif form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("version", "message", "confirm") and v not in (None, "")
        }
        try:
            actions.fire(
                application,
                name,
                actor=request.user,
                message=form.cleaned_data["message"],
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except actions.ConcurrentChangeError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 409
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 422
        else:
            messages.success(request, _("已完成：%(label)s") % {"label": transition.label})
            return redirect("applications:detail", pk=application.pk)
    else:
        status = 422
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{transition.label}：{error}")
    application.refresh_from_db()
    return render(request, "applications/detail.html", detail_context(request, application), status=status)


@login_required
@require_POST
def application_fee(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, perm="applications.record_fee")
    form = FeeForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_fee(
                application,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                receipt_no=form.cleaned_data["receipt_no"] or "",
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登錄費用。"))
    else:
        messages.error(request, _("費用資料不完整。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, perm="applications.unlock_application")
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            actions.do_unlock_part(
                application,
                part=form.cleaned_data["part"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已解鎖。"))
    else:
        messages.error(request, _("解鎖須說明理由。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_relock(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    application = get_application(request, pk, perm="applications.unlock_application")
    actions.do_relock_part(application, part=part, actor=request.user)
    messages.success(request, _("已重新鎖定。"))
    return redirect("applications:detail", pk=application.pk)


def _record_for_applicant_or_office(
    request: HttpRequest, pk: int, form_class, record, done: str
) -> HttpResponse:  # type: ignore[no-untyped-def]
    """POST of a dated record the institution's members or office staff make on a decided
    application (receipt of the notice, a waiver of appeal): 404 outside the scope, 403 for
    others who see it, the form's and the action's messages shown on the application page."""
    application = get_application(request, pk)
    roles = actions.roles_for(request.user, application)
    if not roles & {actions.OFFICE, actions.INSTITUTION}:
        raise PermissionDenied("applications.record_for_applicant_or_office")
    form = form_class(request.POST, office=actions.OFFICE in roles)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "confirm")}
        try:
            record(application, actor=request.user, expected_version=form.cleaned_data["version"], **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_notice_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_for_applicant_or_office(
        request,
        pk,
        NoticeReceiptForm,
        actions.do_record_notice_receipt,
        _("已登錄收受評定通知，申復期限已計算。"),
    )


@login_required
@require_POST
def application_waive_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_for_applicant_or_office(
        request,
        pk,
        AppealWaiverForm,
        actions.do_waive_appeal,
        _("已登錄放棄申復，評鑑辦公室得確定結果。"),
    )


@login_required
@require_POST
def application_open_renewal(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the JCT renewal (續約) of a finalised pass: 404 outside the scope, 403 for those who
    see it without being the office or the institution's member; a refusal shown in words."""
    application = get_application(request, pk)
    try:
        renewal = actions.do_open_renewal(application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:detail", pk=application.pk)
    messages.success(request, _("已開啟續約申請案，請上傳資料後送出申請。"))
    return redirect("applications:detail", pk=renewal.pk)


@login_required
@require_POST
def cycle_apply(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """An institution applies to a voluntary cycle (the form is on the cycle's page)."""
    cycle = get_object_for_user(Cycle, request.user, pk=cycle_pk)
    institution = get_object_for_user(Institution, request.user, pk=request.POST.get("institution") or 0)
    try:
        application = actions.do_open_application(cycle, institution, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cycles:detail", pk=cycle.pk)
    messages.success(request, _("已建立申請案草稿，請上傳資料後送出申請。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def confirm_targets(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """A health bureau confirms its county's targets, each getting a draft application."""
    cycle = get_object_for_user(Cycle, request.user, pk=cycle_pk, perm="cycles.confirm_targets")
    confirmed = 0
    for county in sorted(bureau_counties_of(request.user)):
        confirmed += len(actions.do_confirm_targets(cycle, county=county, actor=request.user))
    messages.success(request, _("已確認 %(n)d 家評鑑對象。") % {"n": confirmed})
    return redirect("cycles:detail", pk=cycle.pk)
