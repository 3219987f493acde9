"""The NHI dental review pages (issue 15, items 2–4): quarter runs as background jobs over the
engine's functions, results and the clinic trace identical to `pingjian dental explain`, exports,
notices (seed 004 八 一、二), the improvement agreement (seed 004 六.4), and what-if."""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingjian.cli import main as cli_main
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core import pdf_process
from pingjian.web.dentalreview import actions, engine, selectors
from pingjian.web.dentalreview.actions import do_request_run
from pingjian.web.dentalreview.models import ClinicResult, QuarterRun, RunState
from tests.web.documents import slow_writers
from tests.web.support import client_for, run_jobs, text_of

from .conftest import QUARTER


def explain_cli(folder, clinic_id, *params, store=None):
    """`pingjian dental explain --json` over the folder, or over the claims store with STORE."""
    source = ["--store", str(store)] if store is not None else ["--data", str(folder)]
    args = ["dental", "explain", clinic_id, *source, "--quarter", QUARTER, "--json"]
    for p in params:
        args += ["--param", p]
    result = CliRunner().invoke(cli_main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def done_run(nhi, dental_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_run(actor=nhi, quarter="113Q4", folder="demo")
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.DONE, run.error
    return run


def test_non_nhi_roles_get_403_on_pages_and_404_on_runs(role_users, done_run):
    for name, user in role_users.items():
        client = client_for(user)
        pages = [reverse("dentalreview:runs"), reverse("dentalreview:levels")]
        objects = [
            reverse("dentalreview:run", args=[done_run.pk]),
            reverse("dentalreview:progress", args=[done_run.pk]),
            reverse("dentalreview:export_csv", args=[done_run.pk]),
            reverse("dentalreview:whatif", args=[done_run.pk]),
            reverse("dentalreview:clinic", args=[done_run.pk, done_run.results.first().clinic_id]),
        ]
        if name == "nhi":
            assert all(client.get(u).status_code == 200 for u in pages + objects)
            continue
        assert [client.get(u).status_code for u in pages] == [403, 403], name
        assert {client.get(u).status_code for u in objects} == {404}, name
        assert (
            client.post(reverse("dentalreview:runs"), {"quarter": "113Q4", "folder": "demo"}).status_code
            == 403
        )
    assert QuarterRun.objects.count() == 1


def test_a_folder_run_stores_what_the_engine_computed_and_the_clinic_page_shows_the_explain_trace(
    done_run, nhi, demo_quarter, dental_settings
):
    assert done_run.quarter == QUARTER and done_run.progress == 100
    assert done_run.clinic_count == ClinicResult.objects.filter(run=done_run).count() > 20
    assert AuditEvent.objects.filter(event_type="dental.run_finished").count() == 1
    fired = ClinicResult.objects.filter(run=done_run, level__gte=1).order_by("-points").first()
    expected = explain_cli(demo_quarter, fired.clinic_id)
    assert fired.trace == expected  # the stored trace is the CLI's, field for field
    # scored from the app's claims store: `dental explain --store` over it gives the same trace
    assert explain_cli(None, fired.clinic_id, store=dental_settings.PINGJIAN_DENTAL_STORE) == expected
    assert fired.points == Decimal(expected["points"]) and fired.level == expected["level"]
    page = client_for(nhi).get(reverse("dentalreview:clinic", args=[done_run.pk, fired.clinic_id]))
    html = page.content.decode()
    for f in expected["fired"]:
        assert f'data-rule="{f["rule"]}" data-points="{f["points"]}"' in html
        assert f["reference"] in html  # the seed reference, e.g. "seed 004 三.1"
    assert 'data-testid="chart-rules"' in html and "各規則積分" in html


def test_a_run_loads_the_quarter_into_the_store_and_remembers_the_generation_it_scored(
    done_run, nhi, dental_settings, django_capture_on_commit_callbacks, monkeypatch
):
    store = dental_settings.PINGJIAN_DENTAL_STORE
    # the demo folder holds the quarter and the look-back before it: every quarter is loaded
    loaded = sorted(done_run.load_report["quarters"])
    assert engine.stored_quarters(store) == loaded and loaded[-2:] == ["2024Q3", QUARTER]
    assert not any(q["replaced"] for q in done_run.load_report["quarters"].values())
    state = engine.store_state(store)
    assert done_run.store_generation == state["generation"] == 1
    assert done_run.store_manifest == state
    page = client_for(nhi).get(reverse("dentalreview:runs")).content.decode()
    assert 'data-quarter="2024Q3"' in page and f'data-quarter="{QUARTER}"' in page

    # loading the quarter again replaces it; the new run scores the new generation; the bar only
    # moves forward, through the load's steps and then the score's
    seen: list[tuple[int, str]] = []
    real = actions._set_progress
    monkeypatch.setattr(
        actions, "_set_progress", lambda pk, p, step: (seen.append((p, step)), real(pk, p, step))
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = do_request_run(actor=nhi, quarter="113Q4", folder="demo")
    run_jobs()
    again.refresh_from_db()
    assert again.state == RunState.DONE, again.error
    assert all(q["replaced"] for q in again.load_report["quarters"].values())
    assert again.store_generation == 2 and engine.stored_quarters(store) == loaded
    assert (
        again.store_manifest["quarters"][QUARTER]["file"]
        != done_run.store_manifest["quarters"][QUARTER]["file"]
    )
    assert [p for p, _s in seen] == sorted(p for p, _s in seen)
    steps = [s for _p, s in seen]
    assert steps.index("encoding keys") < steps.index("已載入資料庫") < steps.index(f"scoring {QUARTER}")
    assert {r.clinic_id: (r.points, r.level) for r in again.results.all()} == {
        r.clinic_id: (r.points, r.level) for r in done_run.results.all()
    }
    page = client_for(nhi).get(reverse("dentalreview:run", args=[again.pk])).content.decode()
    assert 'data-testid="run-store"' in page


def test_a_folder_without_the_quarter_fails_the_run_and_names_what_it_holds(
    nhi, dental_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_run(actor=nhi, quarter="2025Q1", folder="demo")
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "2025Q1" in run.error and "2024Q4" in run.error
    assert not ClinicResult.objects.filter(run=run).exists()


def test_filters_sorting_and_csv_per_level(done_run, nhi):
    client = client_for(nhi)
    url = reverse("dentalreview:run", args=[done_run.pk])
    levels = set(ClinicResult.objects.filter(run=done_run).values_list("level", flat=True))
    level = max(x for x in levels if x is not None)
    page = client.get(url, {"level": level, "sort": "-points"}).content.decode()
    wanted = set(ClinicResult.objects.filter(run=done_run, level=level).values_list("clinic_id", flat=True))
    shown = {cid for cid in ClinicResult.objects.filter(run=done_run).values_list("clinic_id", flat=True)
             if f'data-clinic="{cid}"' in page}  # fmt: skip
    assert shown == wanted
    rule = ClinicResult.objects.filter(run=done_run).exclude(rules_fired=[]).first().rules_fired[0]
    page = client.get(url, {"rule": rule}).content.decode()
    for r in ClinicResult.objects.filter(run=done_run):
        assert (f'data-clinic="{r.clinic_id}"' in page) == (rule in r.rules_fired)
    excluded = client.get(url, {"excluded": "yes"}).content.decode()
    for r in ClinicResult.objects.filter(run=done_run):
        assert (f'data-clinic="{r.clinic_id}"' in excluded) == r.excluded
    results = list(ClinicResult.objects.filter(run=done_run))
    assert selectors.level_counts(done_run) == dict(
        Counter("excluded" if r.excluded else str(r.level) for r in results)
    )
    assert selectors.flags_in(done_run) == sorted({f for r in results for f in r.flags})
    csv_text = client.get(reverse("dentalreview:export_csv", args=[done_run.pk]), {"level": level}).content
    lines = csv_text.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("院所代碼,院所名稱") and len(lines) == 1 + len(wanted)


def test_notice_agreement_and_level_list_pdfs_name_the_seed_actions(done_run, nhi):
    """seed 004 八 一、二: level 1 口頭告知改善, level 2 書面告知改善; 六.4 the improvement agreement."""
    client = client_for(nhi)
    r = ClinicResult.objects.filter(run=done_run, level__in=[1, 2]).first()
    assert r is not None
    pdf = client.get(reverse("dentalreview:notice", args=[done_run.pk, r.clinic_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert {1: "口頭告知改善", 2: "書面告知改善"}[r.level] in text and r.clinic_id in text
    agreement = text_of(
        client.get(reverse("dentalreview:agreement", args=[done_run.pk, r.clinic_id])).content
    )
    assert "改善同意書" in agreement and r.clinic_id in agreement
    zero = ClinicResult.objects.filter(run=done_run, level=0).first()
    if zero is not None:
        assert (
            client.get(reverse("dentalreview:notice", args=[done_run.pk, zero.clinic_id])).status_code == 404
        )
    listing = text_of(
        client.get(reverse("dentalreview:export_pdf", args=[done_run.pk]), {"level": 5}).content
    )
    assert "第 5 級" in listing


def test_a_level_list_pdf_over_its_hard_time_limit_is_stopped_and_answered_503(
    done_run, nhi, monkeypatch, settings
):
    """The dental review's PDFs share the documents' hard time limit (core/pdf_process.py)."""
    monkeypatch.setattr(pdf_process, "write_pdf", slow_writers.write_never)
    settings.PINGJIAN_PDF_TIMEOUT_SECONDS = 1.5
    started = time.monotonic()
    response = client_for(nhi).get(reverse("dentalreview:export_pdf", args=[done_run.pk]), {"level": 5})
    assert time.monotonic() - started < 15  # not the writer's minute
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "文件產製逾時（超過 1.5 秒），已中止" in response.content.decode()


def test_what_if_lists_changes_and_leaves_every_stored_result_unchanged(
    done_run, nhi, demo_quarter, dental_settings
):
    store_before = engine.store_state(dental_settings.PINGJIAN_DENTAL_STORE)
    before = list(ClinicResult.objects.filter(run=done_run).order_by("pk").values())
    run_before = QuarterRun.objects.filter(pk=done_run.pk).values().get()
    client = client_for(nhi)
    # every general-indicator band starts at PR 50 instead of 85: more clinics gain points
    page = client.post(
        reverse("dentalreview:whatif", args=[done_run.pk]), {"params": "pr_general_band=50,94"}
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    html = page.content.decode()
    changed = [r for r in before if f'data-clinic="{r["clinic_id"]}"' in html]
    assert changed, "a lower band must change someone"
    one = changed[0]
    expected = explain_cli(demo_quarter, one["clinic_id"], "pr_general_band=50,94")
    assert f"→ {expected['level']}" in html
    assert list(ClinicResult.objects.filter(run=done_run).order_by("pk").values()) == before
    assert QuarterRun.objects.filter(pk=done_run.pk).values().get() == run_before
    # scored from the claims store, which it leaves as it was (no load, the same manifest)
    assert 'data-testid="whatif-store"' in html and 'data-testid="whatif-data-changed"' not in html
    assert engine.store_state(dental_settings.PINGJIAN_DENTAL_STORE) == store_before
    bad = client.post(reverse("dentalreview:whatif", args=[done_run.pk]), {"params": "no_such=1"})
    assert bad.status_code == 422


def test_upload_is_checked_by_content_and_a_zip_is_scored(
    nhi, dental_settings, demo_zip, django_capture_on_commit_callbacks
):
    client = client_for(nhi)
    fake = SimpleUploadedFile("claims.parquet", b"not parquet at all")
    page = client.post(reverse("dentalreview:runs"), {"quarter": "2024Q4", "files": [fake]})
    assert page.status_code == 422 and "不是 Parquet 檔" in page.content.decode()
    assert QuarterRun.objects.count() == 0
    upload = SimpleUploadedFile("demo.zip", demo_zip.read_bytes(), content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("dentalreview:runs"), {"quarter": "113Q4", "files": [upload]})
    assert page.status_code == 302
    run = QuarterRun.objects.get()
    assert run.state == RunState.QUEUED
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.clinic_count > 20


@pytest.mark.parametrize("folder", ["../etc", "/etc", "demo/../../x", "missing"])
def test_a_server_folder_outside_the_root_is_refused(nhi, dental_settings, folder):
    with pytest.raises(ValidationError):
        do_request_run(actor=nhi, quarter="2024Q4", folder=folder)
    assert QuarterRun.objects.count() == 0


def test_bad_claims_fail_the_run_with_the_engines_message(
    nhi, dental_settings, demo_quarter, django_capture_on_commit_callbacks
):
    bad = dental_settings.PINGJIAN_DENTAL_DATA_ROOT / "bad"
    bad.mkdir(exist_ok=True)
    for p in demo_quarter.iterdir():
        (bad / p.name).write_bytes(p.read_bytes())
    lines = (bad / "claims.csv").read_text().splitlines()
    header = [c.strip('"') for c in lines[0].split(",")]
    cols = lines[1].split(",")
    cols[header.index("quantity")] = "abc"
    lines[1] = ",".join(cols)
    (bad / "claims.csv").write_text("\n".join(lines) + "\n")
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_run(actor=nhi, quarter="2024Q4", folder="bad")
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "claims.csv" in run.error and "quantity" in run.error
    assert not ClinicResult.objects.filter(run=run).exists()
