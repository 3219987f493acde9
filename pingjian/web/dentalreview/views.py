"""The NHI reviewers' pages: quarter runs (upload or server folder, progress), results with filters,
a clinic's explanation and history, charts (SVG), exports (CSV, PDF), notices and what-if."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pingjian.rules.roc import roc_date_long
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.clock import local_today
from pingjian.web.core.counties import County

from . import charts, engine, selectors
from .actions import do_request_run
from .forms import RunForm, WhatIfForm
from .models import ClinicResult, QuarterRun, RunState
from .pdf import PdfTimeoutError, PdfTooLargeError, render_pdf
from .whatif import what_if

PAGE_SIZE = 50
VIEW = "dentalreview.view_quarterrun"
NOTICE_LEVELS = {1: "口頭告知改善", 2: "書面告知改善"}


def _run(request: HttpRequest, pk: int) -> QuarterRun:
    return get_object_for_user(QuarterRun, request.user, pk=pk)


def _result(request: HttpRequest, run: QuarterRun, clinic_id: str) -> ClinicResult:
    return get_object_for_user(ClinicResult, request.user, run=run, clinic_id=clinic_id)


def _outline(run: QuarterRun | None = None) -> dict[str, Any]:
    return engine.program_outline(run.params if run else None)


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    """The quarter runs so far, and a new run (upload, server folder or an indicator table)."""
    require_perm(request.user, VIEW)
    status = 200
    if request.method == "POST":
        require_perm(request.user, "dentalreview.add_quarterrun")
        form = RunForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                run = do_request_run(
                    actor=request.user,
                    quarter=d["quarter"],
                    uploads=[(f.name, f.read()) for f in d["files"]],
                    folder=d["folder"],
                    params_text=d["params"],
                    indicator_table=(
                        (d["indicators"].name, d["indicators"].read(engine.MAX_INDICATOR_BYTES + 1))
                        if d.get("indicators")
                        else None
                    ),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已排入背景計算。"))
                return redirect("dentalreview:run", pk=run.pk)
        status = 422
    else:
        form = RunForm()
    rows = QuarterRun.objects.visible_to(request.user).select_related("created_by")[:100]
    levels = charts.levels_by_quarter([(r.quarter, c) for r, c in selectors.levels_by_quarter()])
    store = engine.store_state(settings.PINGJIAN_DENTAL_STORE)
    ctx = {"form": form, "runs": rows, "levels": levels, "store": store}
    return render(request, "dentalreview/runs.html", ctx, status=status)


def _filter(request: HttpRequest) -> selectors.ResultFilter:
    g = request.GET
    return selectors.ResultFilter(
        level=g.get("level", "")[:2],
        rule=g.get("rule", "")[:20],
        county=g.get("county", "")[:3],
        flag=g.get("flag", "")[:60],
        excluded=g.get("excluded", "")[:3],
        q=g.get("q", "").strip()[:40],
        sort=g.get("sort", selectors.DEFAULT_SORT)[:10],
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    ctx: dict[str, Any] = {"run": run}
    if run.state == RunState.DONE:
        f = _filter(request)
        outline = _outline(run)
        paginator = Paginator(selectors.filtered_results(run, f), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        ctx.update(
            filter=f,
            page=page,
            rules=outline["rules"],
            levels=outline["levels"],
            indicators=outline["indicators"],
            flags=selectors.flags_in(run),
            counties=[(c, dict(County.choices).get(c, _("未登錄"))) for c in selectors.counties_in(run)],
            counts=selectors.level_counts(run),
            sorts=[("points", _("積分高到低")), ("-points", _("積分低到高")), ("level", _("級別")),
                   ("clinic", _("院所代碼")), ("name", _("院所名稱"))],
        )  # fmt: skip
    template = (
        "dentalreview/run.html#results"
        if request.htmx and run.state == RunState.DONE
        else "dentalreview/run.html"
    )
    return render(request, template, ctx)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone (htmx polls it); a finished run reloads the page to show results."""
    run = _run(request, pk)
    response = render(request, "dentalreview/run.html#progress", {"run": run})
    if run.finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _done_run(request: HttpRequest, pk: int) -> QuarterRun:
    run = _run(request, pk)
    if run.state != RunState.DONE:
        raise Http404("run not finished")
    return run


def _level_label(level: str) -> str:
    return _("全部") if not level else _("排除") if level == "x" else f"{_('級別')} {level}"


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The results of the run (the page's filters; per level with ?level=N) as CSV."""
    run = _done_run(request, pk)
    outline = _outline(run)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    level = _filter(request).level
    response["Content-Disposition"] = (
        f'attachment; filename="dental-{run.quarter}-level-{level or "all"}.csv"'
    )
    response.write("\ufeff")
    w = csv.writer(response)
    rules = [r["id"] for r in outline["rules"]]
    w.writerow(
        ["院所代碼", "院所名稱", "縣市", "季別", "排除", "排除理由", "總積分", "級別", "處置", "標記", *rules]
    )
    actions = {lv["level"]: lv["action"] for lv in outline["levels"]}
    for r in selectors.filtered_results(run, _filter(request)).iterator():
        w.writerow(
            [r.clinic_id, r.name, r.county, run.quarter, "是" if r.excluded else "否", r.exclusion_reason,
             "" if r.points is None else r.points, "" if r.level is None else r.level,
             actions.get(r.level, "") if r.level is not None else "", "；".join(r.flags),
             *["" if r.rule_points.get(x) is None else r.rule_points[x] for x in rules]]
        )  # fmt: skip
    return response


def _pdf_response(template: str, ctx: dict[str, Any], filename: str) -> HttpResponse:
    try:
        pdf = render_pdf(template, ctx)
    except PdfTooLargeError as exc:
        return HttpResponse(str(exc), status=413, content_type="text/plain; charset=utf-8")
    except PdfTimeoutError as exc:
        response = HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The list per level (the page's filters) as PDF; level 5 is the list for the abnormal-case group."""
    run = _done_run(request, pk)
    f = _filter(request)
    rows = list(selectors.filtered_results(run, f)[:5000])
    outline = _outline(run)
    level = int(f.level) if f.level.isdigit() else None
    action = next((lv["action"] for lv in outline["levels"] if lv["level"] == level), "")
    ctx = {"run": run, "rows": rows, "level": level, "action": action, "today": roc_date_long(local_today()),
           "title": outline["title"]}  # fmt: skip
    return _pdf_response(
        "dentalreview/pdf/level_list.html", ctx, f"dental-{run.quarter}-level-{level or 'all'}.pdf"
    )


@login_required
@require_GET
def level5(request: HttpRequest, pk: int) -> HttpResponse:
    """The level-5 clinics (移送異常組) for review, with the rules behind each and the referrals."""
    run = _done_run(request, pk)
    rows = ClinicResult.objects.filter(run=run, level=5).order_by("-points", "clinic_id")[:500]
    referred = ClinicResult.objects.filter(run=run, trace__actions__abnormal_group=True).exclude(level=5)[
        :500
    ]
    ctx = {"run": run, "rows": rows, "referred": referred}
    return render(request, "dentalreview/level5.html", ctx)


@login_required
@require_GET
def clinic(request: HttpRequest, pk: int, clinic_id: str) -> HttpResponse:
    """Every indicator with its PR, every rule that fired with its seed reference (the trace of
    `pingjian dental explain`), points by rule, and the clinic's quarters."""
    run = _done_run(request, pk)
    result = _result(request, run, clinic_id)
    outline = _outline(run)
    bars = charts.points_by_rule(result.rule_points, outline["rules"])
    history = selectors.clinic_history(clinic_id)
    bands = {i["id"]: i["bands"] for i in outline["indicators"]}
    indicators = [{**i, "bands": bands.get(i["id"], [])} for i in result.trace.get("indicators", [])]
    return render(
        request,
        "dentalreview/clinic.html",
        {"run": run, "r": result, "t": result.trace, "bars": bars, "history": history,
         "indicators": indicators, "notice": result.level in NOTICE_LEVELS},
    )  # fmt: skip


@login_required
@require_GET
def indicator_chart(request: HttpRequest, pk: int, indicator: str) -> HttpResponse:
    """One indicator's distribution over the run's clinics, the rank bands marked, a clinic's place."""
    run = _done_run(request, pk)
    outline = _outline(run)
    ind = next((i for i in outline["indicators"] if i["id"] == indicator), None)
    if ind is None:
        raise Http404("no such indicator")
    clinic_id = request.GET.get("clinic", "")[:20]
    dist = charts.distribution(selectors.indicator_values(run, indicator), ind["bands"], clinic_id)
    ctx = {"run": run, "ind": ind, "d": dist, "clinic_id": clinic_id, "indicators": outline["indicators"]}
    return render(request, "dentalreview/indicator.html", ctx)


@login_required
@require_GET
def levels_chart(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW)
    rows = selectors.levels_by_quarter()
    chart = charts.levels_by_quarter([(r.quarter, c) for r, c in rows])
    return render(
        request, "dentalreview/levels.html", {"chart": chart, "rows": rows, "keys": charts.LEVEL_KEYS}
    )


def _letter(request: HttpRequest, pk: int, clinic_id: str, template: str, kind: str) -> HttpResponse:
    run = _done_run(request, pk)
    result = _result(request, run, clinic_id)
    if template.endswith("notice.html") and result.level not in NOTICE_LEVELS:
        raise Http404("notices are for levels 1 and 2")
    if result.level in (None, 0):
        raise Http404("no guidance for level 0")
    outline = _outline(run)
    ctx = {"run": run, "r": result, "t": result.trace, "today": roc_date_long(local_today()),
           "rules": {x["id"]: x for x in outline["rules"]}, "title": outline["title"],
           "action": NOTICE_LEVELS.get(result.level or 0, "")}  # fmt: skip
    return _pdf_response(template, ctx, f"dental-{run.quarter}-{clinic_id}-{kind}.pdf")


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int, clinic_id: str) -> HttpResponse:
    """口頭 / 書面告知改善 (seed 004 八 一、二)."""
    return _letter(request, pk, clinic_id, "dentalreview/pdf/notice.html", "notice")


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, pk: int, clinic_id: str) -> HttpResponse:
    """改善同意書 (seed 004 六.4, 十五)."""
    return _letter(request, pk, clinic_id, "dentalreview/pdf/agreement.html", "agreement")


@login_required
@require_http_methods(["GET", "POST"])
def whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the run's quarter again with changed parameters; list who would change. Stores nothing."""
    run = _done_run(request, pk)
    form = WhatIfForm(request.POST or None)
    ctx: dict[str, Any] = {"run": run, "form": form, "parameters": _outline(run)["parameters"]}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                params = engine.parse_params(form.cleaned_data["params"])
                result = what_if(run, params)
            except engine.EngineInputError as exc:
                form.add_error("params", str(exc))
                status = 422
            else:
                ctx.update(
                    changes=result.changes,
                    compared=result.compared,
                    params=params,
                    store=result.store,
                    same_data=result.same_data,
                )
        else:
            status = 422
    return render(request, "dentalreview/whatif.html", ctx, status=status)
