"""Reads of the dental review: filtered and sorted results of a run, a clinic's history across
runs, levels per quarter. Other apps read dental results through here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet

from .models import ClinicResult, QuarterRun, RunState

SORTS = {
    "points": (F("points").desc(nulls_last=True), "clinic_id"),
    "-points": (F("points").asc(nulls_first=True), "clinic_id"),
    "level": (F("level").desc(nulls_last=True), F("points").desc(nulls_last=True), "clinic_id"),
    "clinic": ("clinic_id",),
    "name": ("name", "clinic_id"),
}
DEFAULT_SORT = "points"


@dataclass
class ResultFilter:
    level: str = ""  # "0".."5" or "" (all)
    rule: str = ""
    county: str = ""
    flag: str = ""
    excluded: str = ""  # "yes" / "no" / ""
    q: str = ""
    sort: str = DEFAULT_SORT


def filtered_results(run: QuarterRun, f: ResultFilter) -> QuerySet[ClinicResult]:
    qs = ClinicResult.objects.filter(run=run)
    if f.level.isdigit():
        qs = qs.filter(level=int(f.level))
    if f.rule:
        qs = qs.filter(rules_text__contains=f";{f.rule};")
    if f.county:
        qs = qs.filter(county="" if f.county == "-" else f.county)
    if f.flag:
        qs = qs.filter(flags_text__contains=f";{f.flag};")
    if f.excluded == "yes":
        qs = qs.filter(excluded=True)
    elif f.excluded == "no":
        qs = qs.filter(excluded=False)
    if f.q:
        qs = qs.filter(clinic_id__startswith=f.q) | qs.filter(name__contains=f.q)
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def flags_in(run: QuarterRun) -> list[str]:
    """The flags of RUN's clinics (from the distinct ";flag;flag;" texts: no JSON decoded per row)."""
    texts = ClinicResult.objects.filter(run=run).exclude(flags_text=";").values_list("flags_text", flat=True)
    return sorted({f for text in texts.distinct() for f in text.split(";") if f})


def counties_in(run: QuarterRun) -> list[str]:
    return sorted(set(ClinicResult.objects.filter(run=run).values_list("county", flat=True)))


def level_counts(run: QuarterRun) -> dict[str, int]:
    """Clinics per level ("excluded" for the excluded), counted by the database."""
    counts: Counter[str] = Counter()
    rows = ClinicResult.objects.filter(run=run).values_list("level", "excluded").annotate(n=Count("pk"))
    for level, excluded, n in rows.order_by():
        counts["excluded" if excluded else str(level)] += n
    return dict(counts)


def latest_runs_by_quarter(limit: int = 13) -> list[QuarterRun]:
    """The newest finished run of each quarter (a re-run replaces an older one), oldest quarter first."""
    seen: dict[str, QuarterRun] = {}
    for run in QuarterRun.objects.filter(state=RunState.DONE).order_by("-finished_at", "-pk")[:500]:
        seen.setdefault(run.quarter, run)
    return [seen[q] for q in sorted(seen)][-limit:]


def clinic_history(clinic_id: str) -> list[tuple[QuarterRun, ClinicResult | None]]:
    runs = latest_runs_by_quarter()
    found = {
        r.run_id: r
        for r in ClinicResult.objects.filter(clinic_id=clinic_id, run__in=runs).select_related("run")
    }
    return [(run, found.get(run.pk)) for run in runs]


def levels_by_quarter() -> list[tuple[QuarterRun, dict[str, int]]]:
    return [(run, level_counts(run)) for run in latest_runs_by_quarter()]


def indicator_values(run: QuarterRun, indicator: str) -> list[dict[str, Any]]:
    """Every clinic's value and PR of one indicator in RUN (as the engine gave them)."""
    out = []
    for clinic_id, indicators in ClinicResult.objects.filter(run=run).values_list("clinic_id", "indicators"):
        for item in indicators:
            if item["id"] == indicator:
                out.append({"clinic_id": clinic_id, "value": item["value"], "pr": item["pr"]})
                break
    return out
