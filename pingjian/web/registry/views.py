"""The public registry (no sign-in): search, an entry page, certificate verification, the badge, the
open data (CSV, JSON) and the change feed; and, signed in, the office's record of a revocation …
and a health bureau's report of abolition grounds."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingjian.rules.roc import roc_date_long
from pingjian.rules.validity import validity_basis
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.links import absolute_url

from . import actions, selectors
from .badges import badge_svg
from .forms import (
    AbolitionReportForm,
    FollowUpOutcomeForm,
    FollowUpPlanForm,
    RegistrySearchForm,
    StatusChangeForm,
    VerifyForm,
)
from .models import PASSING_RESULTS, EntryStatus, FollowUp, FollowUpOutcome, RegistryEntry, is_jct_program

FEED_LIMIT = 1000  # lines per answer of the change feed; `next_since` continues


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Public search of evaluation results (no sign-in): currently valid entries unless asked."""
    today = timezone.localdate()
    form = RegistrySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    entries = selectors.search(data, today)
    page = Paginator(
        entries.order_by("institution__county", "institution__name", "-valid_until", "pk"), 50
    ).get_page(request.GET.get("page"))
    template = "registry/search.html#results" if request.htmx else "registry/search.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "today": today, "columns": selectors.EXPORT_COLUMNS,
         "verify_form": VerifyForm()},
    )  # fmt: skip


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published result with its validity, its certificate number, any early end (date, legal
    basis, letter), and the institution's other published results."""
    entry = get_object_for_user(RegistryEntry, request.user, pk=pk)
    others = (
        RegistryEntry.objects.visible_to(None)
        .filter(institution=entry.institution)
        .exclude(pk=entry.pk)
        .order_by("-valid_from")
    )
    today = timezone.localdate()
    certificate = getattr(entry, "certificate", None)
    return render(
        request,
        "registry/detail.html",
        {
            "entry": entry,
            "others": others,
            "valid_today": entry.is_valid_on(today),
            "today": today,
            "certificate": certificate,
            "may_download": certificate is not None
            and request.user.has_perm("registry.view_certificate", certificate),
            "letters": request.user.has_perm("registry.view_statusaction", entry.status_actions.first()),
            "status_actions": selectors.status_actions_of(entry),
            "may_change": request.user.has_perm("registry.change_status")
            and entry.status == EntryStatus.VALID,
            "may_report": request.user.has_perm("registry.report_abolition")
            and entry.status == EntryStatus.VALID
            and not is_jct_program(entry.program_id),
            # the length's basis: stated by the program, or our assumption pending an administrator
            "basis": validity_basis(entry.program_id, entry.valid_from, entry.valid_until),
            **_follow_up_context(request, entry),
        },
    )


def _follow_up_context(request: HttpRequest, entry: RegistryEntry) -> dict[str, object]:
    """The 追蹤訪查 section: nothing at all for those who may not see it (the public)."""
    if not request.user.has_perm("registry.view_entry_follow_ups", entry):
        return {"may_see_follow_ups": False}
    follow_ups = list(selectors.follow_ups_of(request.user, entry).select_related("recorded_by"))
    may_record = request.user.has_perm("registry.record_follow_up")
    in_force = entry.status == EntryStatus.VALID
    return {
        "may_see_follow_ups": True,
        "follow_ups": [
            (
                f,
                FollowUpOutcomeForm(auto_id=f"fu{f.pk}-%s")
                if may_record and f.outcome == FollowUpOutcome.PLANNED
                else None,
            )
            for f in follow_ups
        ],
        "may_plan_follow_up": request.user.has_perm("registry.plan_follow_up")
        and in_force
        and entry.result.strip() in PASSING_RESULTS,
        "plan_form": FollowUpPlanForm(auto_id="fu-plan-%s"),
        # a 不符合 does not end the result: the office decides (seed 002 §十四(一); the JCT: seed 000)
        "may_be_ended": in_force and any(f.outcome == FollowUpOutcome.NON_COMPLIANT for f in follow_ups),
        "ending_status": EntryStatus.TERMINATED
        if is_jct_program(entry.program_id)
        else EntryStatus.ABOLISHED,
    }


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a verification code: a valid-looking code goes to its page (which says whether it exists)."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = re.sub(r"\s+", "", form.cleaned_data["code"])
        return redirect("registry:verify", code=code) if code else redirect("registry:verify_form")
    return render(request, "registry/verify_form.html", {"form": form})


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public confirmation of a certificate: institution, program, status and validity. Any
    code that is not a certificate's gets the same 404 page (nothing says how close it came)."""
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "registry/verify_unknown.html", {"form": VerifyForm()}, status=404)
    entry = certificate.entry
    today = timezone.localdate()
    return render(
        request,
        "registry/verify.html",
        {
            "certificate": certificate,
            "entry": entry,
            "valid_today": entry.is_valid_on(today),
            "today": today,
        },
    )


@require_GET
def badge(request: HttpRequest, program_id: str) -> HttpResponse:
    """The program's badge (public, like the program)."""
    if not RegistryEntry.objects.visible_to(None).filter(program_id=program_id).exists():
        raise Http404("no such program in the registry")
    response = HttpResponse(badge_svg(program_id), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _export_rows(request: HttpRequest) -> list[dict[str, str]]:
    form = RegistrySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    entries = selectors.search(data, timezone.localdate()).order_by("institution__code", "program_id", "pk")
    return [selectors.public_row(e) for e in entries]


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """Open data, UTF-8 (with a BOM so spreadsheet programs read the Chinese), columns as documented."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registry.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=[c for c, _zh, _en in selectors.EXPORT_COLUMNS])
    writer.writeheader()
    writer.writerows(_export_rows(request))
    return response


@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    rows = _export_rows(request)
    body = {
        "generated_at": timezone.localtime().isoformat(),
        "columns": [c for c, _zh, _en in selectors.EXPORT_COLUMNS],
        "count": len(rows),
        "entries": rows,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )


def parse_since(text: str) -> dt.datetime:
    """An ISO-8601 date or date-time; without an offset it is Taipei time. ValueError otherwise."""
    text = text.strip()
    if "T" in text and " " in text:  # a '+' of the offset that the query string turned into a space
        text = text.replace(" ", "+")
    moment = dt.datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


@require_GET
def changes_json(request: HttpRequest) -> HttpResponse:
    """What changed since a time: publications and status changes, oldest first, FEED_LIMIT at most."""
    raw = request.GET.get("since", "")
    if not raw:
        return _bad_since(_("請以 since 參數指定起始時間（ISO-8601），例如 ?since=2024-01-01T00:00:00+08:00"))
    try:
        since = parse_since(raw)
    except ValueError:
        return _bad_since(
            _("since 參數「%(value)s」不是 ISO-8601 日期或時間，例如 2024-01-01 或 2024-01-01T00:00:00+08:00")
            % {"value": raw[:40]}
        )
    changes = selectors.changes_since(since, FEED_LIMIT + 1)
    more = len(changes) > FEED_LIMIT
    changes = changes[:FEED_LIMIT]
    items = []
    for change in changes:
        row = selectors.public_row(change.entry)
        items.append(
            {
                "at": timezone.localtime(change.at).isoformat(),
                "change": change.kind,
                "change_status": change.status,
                "change_status_label": str(EntryStatus(change.status).label),
                "effective_on": change.effective_on.isoformat(),
                "entry_url": absolute_url(request, reverse("registry:detail", args=[change.entry_id])),
                **row,
            }
        )
    body = {
        "since": since.isoformat(),
        "count": len(items),
        "next_since": items[-1]["at"] if more else None,
        "changes": items,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )


def _bad_since(message: str) -> JsonResponse:
    return JsonResponse({"error": "invalid_since", "message": message}, status=400, json_dumps_params={
        "ensure_ascii": False})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a revocation, abolition, suspension, termination or withdrawal."""
    entry = get_object_for_user(RegistryEntry, request.user, perm="registry.change_status", pk=pk)
    statuses = actions.allowed_statuses(entry.program_id)
    report = entry.abolition_reports.first()
    initial_status = request.GET.get("status") or (EntryStatus.ABOLISHED if report else statuses[0])
    initial = {
        "status": initial_status,
        "legal_basis": actions.default_legal_basis(entry.program_id, initial_status)
        if initial_status in statuses
        else "",
        "effective_on": timezone.localdate(),
        "reason": report.grounds if report and initial_status == EntryStatus.ABOLISHED else "",
    }
    form = StatusChangeForm(request.POST or None, statuses=statuses, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = actions.do_change_status(
                entry,
                actor=request.user,
                bureau_report=report if form.cleaned_data["status"] == EntryStatus.ABOLISHED else None,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登錄：%(what)s（%(number)s）") % {
                "what": action.get_status_display(), "number": action.letter_number})  # fmt: skip
            return redirect("registry:detail", pk=entry.pk)
    bases = [(EntryStatus(s).label, actions.default_legal_basis(entry.program_id, s)) for s in statuses]
    return render(
        request,
        "registry/change_status.html",
        {"entry": entry, "form": form, "report": report, "bases": bases},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_abolition(request: HttpRequest, pk: int) -> HttpResponse:
    """A health bureau reports abolition grounds for a passing institution of its county."""
    entry = get_object_for_user(RegistryEntry, request.user, pk=pk)
    require_perm(request.user, "registry.report_abolition", entry)
    form = AbolitionReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_report_abolition_grounds(
                entry, grounds=form.cleaned_data["grounds"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已通報評鑑辦公室。"))
            return redirect("registry:detail", pk=entry.pk)
    return render(
        request,
        "registry/report_abolition.html",
        {"entry": entry, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _form_errors(form: forms.Form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _follow_up_post(
    request: HttpRequest,
    entry_id: int,
    form: forms.Form,
    act: Callable[[dict], FollowUp],
    done: Callable[[FollowUp], str],
) -> HttpResponse:
    """A follow-up form posted from the entry's page: ACT(cleaned data) → the follow-up, DONE(it)
    → the success message; a refusal as a message; back to the page's follow-ups."""
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            follow_up = act(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, done(follow_up))
    return redirect(reverse("registry:detail", args=[entry_id]) + "#follow-ups")


@login_required
@require_POST
def plan_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The office plans a follow-up within the validity (追蹤訪查), from the entry's page."""
    entry = get_object_for_user(RegistryEntry, request.user, perm="registry.plan_follow_up", pk=pk)
    return _follow_up_post(
        request,
        entry.pk,
        FollowUpPlanForm(request.POST),
        lambda data: actions.do_plan_follow_up(entry, actor=request.user, **data),
        lambda f: _("已排定%(kind)s：%(day)s") % {"kind": f.get_kind_display(), "day": roc_date_long(f.day)},
    )


@login_required
@require_POST
def record_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a follow-up's outcome, once."""
    follow_up = get_object_for_user(FollowUp, request.user, perm="registry.record_follow_up", pk=pk)
    return _follow_up_post(
        request,
        follow_up.entry_id,
        FollowUpOutcomeForm(request.POST),
        lambda data: actions.do_record_follow_up_outcome(follow_up, actor=request.user, **data),
        lambda f: _("已登錄追蹤結果：%(outcome)s") % {"outcome": f.get_outcome_display()},
    )
