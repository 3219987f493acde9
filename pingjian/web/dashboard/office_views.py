"""The program office's charts (issue 15 item 3) and the what-if of a finished cycle (item 4):
data from the owning apps' selectors, geometry from `core.charts`, Chinese labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pingjian.rules.errors import ParameterError
from pingjian.rules.roc import roc_date
from pingjian.rules.scoring import round_half_up
from pingjian.web.accounts.permissions import is_office_staff
from pingjian.web.applications import selectors as applications
from pingjian.web.assessments import selectors as assessments
from pingjian.web.core import charts
from pingjian.web.core.clock import local_today
from pingjian.web.core.counties import County

from .forms import CycleWhatIfForm

DEFAULT_WITHIN = 5  # working days
MAX_WITHIN = 60


def _office_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, GET only, and the program office or a program administrator (403 otherwise)."""

    @login_required
    @require_GET
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_office_staff(request.user):
            raise PermissionDenied("dashboard.view_office_charts")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_office_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/charts/index.html")


@_office_page
def states(request: HttpRequest) -> HttpResponse:
    """Applications by state, one bar per cycle."""
    rows = [(cycle.title, counts) for cycle, counts in applications.state_counts_by_cycle(request.user)]
    keys = applications.state_labels()
    return render(request, "dashboard/charts/states.html", {"chart": charts.stacked_bars(rows, keys)})


def _within(request: HttpRequest) -> int:
    try:
        within = int(request.GET.get("days", DEFAULT_WITHIN))
    except ValueError:
        within = DEFAULT_WITHIN
    return min(max(within, 0), MAX_WITHIN)


@_office_page
def deadlines(request: HttpRequest) -> HttpResponse:
    """Open applications whose next deadline is overdue or within N working days."""
    within = _within(request)
    today = local_today()
    found = applications.next_deadlines(request.user, today, within)
    rows = []
    for d in found:
        if d.overdue:
            note = _("%(kind)s %(date)s，已逾期 %(days)s 日") % {
                "kind": d.kind,
                "date": roc_date(d.due),
                "days": (today - d.due).days,
            }
        else:
            note = f"{d.kind} {roc_date(d.due)}"
        colour = "#b71c1c" if d.overdue else "#e65100" if (d.working_days_left or 0) <= 2 else "#f9a825"
        rows.append({"label": d.label, "value": d.working_days_left or 0, "colour": colour, "note": note})
    chart = charts.bars(
        rows, highest=max(within, 1), unit=_(" 個工作天"), label_w=230, text_w=290, whole=True
    )
    return render(
        request,
        "dashboard/charts/deadlines.html",
        {"chart": chart, "deadlines": found, "within": within, "max_within": MAX_WITHIN},
    )


def _rate_rows(groups: dict[Any, list[str]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    rows = []
    for key, results in groups.items():
        passed = results.count("pass")
        rate = round_half_up(Fraction(passed * 100, len(results)), 1)
        rows.append(
            {
                "label": labels[key],
                "value": rate,
                "note": _("%(p)s／%(n)s 合格") % {"p": passed, "n": len(results)},
                "colour": "#2e7d32",
            }
        )
    return rows


@_office_page
def pass_rates(request: HttpRequest) -> HttpResponse:
    """Pass rates of the decided applications by program, by cycle and by county."""
    decided = applications.decided_results(request.user)
    by: dict[str, dict[Any, list[str]]] = {"program": defaultdict(list), "cycle": defaultdict(list)}
    by["county"] = defaultdict(list)
    labels: dict[str, dict[Any, str]] = {"program": {}, "cycle": {}, "county": {}}
    counties = dict(County.choices)
    for d in decided:
        by["program"][d.program_id].append(d.result)
        labels["program"][d.program_id] = d.program_title
        by["cycle"][d.cycle_id].append(d.result)
        labels["cycle"][d.cycle_id] = d.cycle_title
        by["county"][d.county].append(d.result)
        labels["county"][d.county] = str(counties.get(d.county, _("未登錄")))
    county_order = list(counties)
    ordering = {
        "program": sorted,
        "cycle": sorted,
        "county": lambda keys: sorted(keys, key=lambda k: county_order.index(k) if k in county_order else -1),
    }
    sections = []
    for name, title in (("program", _("各評鑑計畫")), ("cycle", _("各梯次")), ("county", _("各縣市"))):
        rows = _rate_rows({k: by[name][k] for k in ordering[name](by[name])}, labels[name])
        sections.append(
            {"name": name, "title": title, "chart": charts.bars(rows, highest=100, unit="%", text_w=150)}
        )
    return render(request, "dashboard/charts/pass_rates.html", {"sections": sections, "count": len(decided)})


@_office_page
def heatmap(request: HttpRequest) -> HttpResponse:
    """Where institutions lose points: mean points lost per criterion (rows) and cycle (columns)."""
    programs = assessments.scored_programs(request.user)
    chosen = request.GET.get("program") or (programs[0][0] if programs else "")
    if programs and chosen not in dict(programs):
        raise Http404("no such program with submitted assessments")
    chart = lost = None
    if chosen:
        lost = assessments.points_lost(request.user, chosen)
        values: dict[tuple[str, Any], Decimal] = {key: cell.lost for key, cell in lost.cells.items()}
        chart = charts.heatmap(
            [(item_id, f"{item_id} {title}") for item_id, title in lost.criteria],
            lost.cycles,
            values,
            unit=_(" 分"),
        )
    return render(
        request,
        "dashboard/charts/heatmap.html",
        {"programs": programs, "chosen": chosen, "chart": chart, "lost": lost},
    )


@_office_page
def whatif(request: HttpRequest) -> HttpResponse:
    """A finished cycle scored again with changed program parameters: who would change result.
    Reads only (a GET form): nothing stored changes."""
    cycles = assessments.scored_cycles(request.user)
    form = CycleWhatIfForm(request.GET if "cycle" in request.GET else None, cycles=cycles)
    outcome = cycle = None
    if form.is_bound and form.is_valid():
        cycle = next(c for c, _n in cycles if c.pk == form.cleaned_data["cycle"])
        try:
            outcome = assessments.what_if(request.user, cycle, form.cleaned_data["params"])
        except ParameterError as exc:
            form.add_error("params", str(exc))
    parameters = [(c, assessments.cycle_parameters(c)) for c, _n in cycles]
    return render(
        request,
        "dashboard/charts/whatif.html",
        {"form": form, "outcome": outcome, "cycle": cycle, "parameters": parameters},
    )
