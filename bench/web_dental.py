"""Benchmark: the dental review's clinic page and a filtered results page at 1× (issue 15).

Fills a fresh test database with QUARTERS quarter runs of a 1×-sized quarter (1,000 scored clinics:
the south region's of the 1,200 that `dental generate --clinics 1200` makes), stored through the
app's own write (`actions._store`, the background job's last step), then times, through Django's
test client as an NHI reviewer, after one warm-up, the median of --repeat requests of:

- the clinic page of the newest run's highest-scoring clinic (indicators, fired rules, the trace,
  points by rule, its history across the stored quarters);
- the results page filtered by level, rule and exclusion, sorted by points (first page of 50);
- the same page filtered by county, and unfiltered.

The rows are a real 1× run's when --store names a claims store holding the quarter (it is scored
once from the store, read only, and the outcome kept in --outcome for the next runs); otherwise a
small generated quarter is scored and its clinics are cycled to --clinics (same trace sizes).
Prints one JSON object (milliseconds, queries per page).

    .venv/bin/python bench/web_dental.py --store /tmp/x1-store --quarter 2024Q4 --repeat 21
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/web_dental.py …
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

COUNTIES = ("TNN", "KHH", "PIF", "CYI", "CYQ", "TTT", "PEN")  # the southern region's, for the filter


def outcome_from_store(store: Path, quarter: str, keep: Path | None) -> Any:
    from pingjian.web.dentalreview import engine

    if keep is not None and keep.exists():
        return pickle.loads(keep.read_bytes())
    os.environ.setdefault("PINGJIAN_DENTAL_CACHE", "off")  # read the store only
    out = engine.score_quarter(store, quarter)
    if keep is not None:
        keep.write_bytes(pickle.dumps(out))
    return out


def outcome_generated(clinics: int, quarter: str) -> Any:
    """A small generated quarter, loaded into a temporary store and scored; its clinics are then
    cycled (new ids) to CLINICS rows, each with a real trace."""
    from pingjian.dental.generate import generate
    from pingjian.web.dentalreview import engine

    tmp = Path(tempfile.mkdtemp(prefix="web-dental-bench-"))
    generate(
        tmp / "q", 60, quarter, 7, lookback_quarters=1, fmt="parquet", lines_per_clinic=60, progress=False
    )
    engine.load_into_store(tmp / "q", tmp / "store")
    out = engine.score_quarter(tmp / "store", quarter)
    base = out.clinics
    rows = []
    for i in range(clinics):
        c = base[i % len(base)]
        cid = f"35{i:08d}"
        rows.append(dataclasses.replace(c, clinic_id=cid, trace={**c.trace, "clinic_id": cid}))
    return dataclasses.replace(out, clinics=rows)


def quarters_before(last: str, n: int) -> list[str]:
    from pingjian.rules.roc import Quarter

    q = Quarter(int(last[:4]), int(last[-1]))
    return [str(q.shift(-i)) for i in reversed(range(n))]


def fill(outcome: Any, quarters: list[str]) -> tuple[Any, Any]:
    from pingjian.web.accounts.actions import do_grant_membership
    from pingjian.web.accounts.models import User
    from pingjian.web.dentalreview import actions
    from pingjian.web.dentalreview.models import ClinicResult, QuarterRun, RunSource, RunState

    nhi = User.objects.create(username="nhi-bench", display_name="nhi-bench")
    do_grant_membership(nhi, role="nhi", actor=None)
    run = None
    for q in quarters:
        run = QuarterRun.objects.create(
            quarter=q, source=RunSource.FOLDER, folder="/bench", state=RunState.RUNNING, created_by=nhi
        )
        actions._store(run.pk, dataclasses.replace(outcome, label=q))
    assert run is not None
    for i, county in enumerate(COUNTIES):  # the register's counties (the bench has no institutions)
        ids = [c.clinic_id for c in outcome.clinics[i :: len(COUNTIES)]]
        ClinicResult.objects.filter(clinic_id__in=ids).update(county=county)
    run.refresh_from_db()
    return nhi, run


def timed(client: Any, url: str, params: dict[str, str], repeat: int) -> dict[str, Any]:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):  # (the request resets connection.queries)
        first = client.get(url, params)
    assert first.status_code == 200, (url, first.status_code)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url, params)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200
    return {
        "url": url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""),
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "bytes": len(first.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, help="a claims store holding --quarter (1×: real rows)")
    parser.add_argument("--outcome", type=Path, help="keep/reuse the scored outcome here (pickle)")
    parser.add_argument("--quarter", default="2024Q4")
    parser.add_argument("--clinics", type=int, default=1000, help="rows per run without --store")
    parser.add_argument("--quarters", type=int, default=13, help="runs stored (one per quarter)")
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    from pingjian.web.dentalreview.models import ClinicResult

    t0 = time.perf_counter()
    outcome = (
        outcome_from_store(args.store, args.quarter, args.outcome)
        if args.store
        else outcome_generated(args.clinics, args.quarter)
    )
    seconds_outcome = round(time.perf_counter() - t0, 1)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t1 = time.perf_counter()
        nhi, run = fill(outcome, quarters_before(args.quarter, args.quarters))
        seconds_fill = round(time.perf_counter() - t1, 1)
        client = Client()
        client.force_login(nhi)
        top = ClinicResult.objects.filter(run=run, level__isnull=False).order_by("-points").first()
        fired = ClinicResult.objects.filter(run=run).exclude(rules_fired=[])
        rule = max({r for x in fired for r in x.rules_fired}, key=lambda r: fired.filter(
            rules_text__contains=f";{r};").count())  # fmt: skip
        run_url = reverse("dentalreview:run", args=[run.pk])
        clinic_url = reverse("dentalreview:clinic", args=[run.pk, top.clinic_id])
        pages = {
            "clinic": timed(client, clinic_url, {}, args.repeat),
            "results_filtered": timed(
                client, run_url, {"level": str(top.level), "rule": rule, "excluded": "no", "sort": "points"},
                args.repeat,
            ),
            "results_county": timed(client, run_url, {"county": COUNTIES[0], "sort": "-points"}, args.repeat),
            "results_all": timed(client, run_url, {}, args.repeat),
        }  # fmt: skip
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "runs": args.quarters,
                    "clinics_per_run": len(outcome.clinics),
                    "rows": ClinicResult.objects.count(),
                    "real_1x": bool(args.store),
                    "seconds_outcome": seconds_outcome,
                    "seconds_fill": seconds_fill,
                    "repeat": args.repeat,
                    "pages": pages,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
