"""登錄成績 (record_score) takes exactly the totals the rules core produces, program by program:
the core's own range (`pingjian.rules.scoring.total_range`) — 0–100 for the psychiatric programs,
whose total is a percentage (contract evaluation-programs.md, Scoring), not their 66/67 item points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from pingjian.rules.programs import PROGRAMS_DIR, load_program
from pingjian.rules.scoring import score, total_range
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from tests.web.support import TODAY, client_for, make_cycle

PROGRAM_IDS = sorted(p.stem for p in (PROGRAMS_DIR / "cases").glob("*.yaml"))


def _visited(programs: Any, program_id: str, institution: Any, office: Any) -> Application:
    cycle = make_cycle(programs[program_id], office)
    app = actions._create(cycle, institution, actor=office, reason="")
    Application.objects.filter(pk=app.pk).update(state=State.VISITED, visit_date=TODAY)
    app.refresh_from_db()
    return app


def _core_totals(program_id: str) -> list[Decimal]:
    """Every total the rules core gives for the program's own scoring cases."""
    program = load_program(program_id)
    cases = yaml.safe_load((PROGRAMS_DIR / "cases" / f"{program_id}.yaml").read_text(encoding="utf-8"))
    totals = set()
    for case in cases["cases"]:
        if "error" in case:
            continue
        assessment = dict(case["assessment"])
        assessment.setdefault("assessed_on", dt.date(2022, 8, 15).isoformat())
        totals.add(score(program, assessment).total)
    return sorted(totals)


@pytest.mark.parametrize("program_id", PROGRAM_IDS)
def test_record_score_accepts_every_total_the_rules_core_gives_and_nothing_above_its_range(
    program_id, programs, ours, office
):
    lowest, highest = total_range(load_program(program_id))
    totals = _core_totals(program_id)
    assert totals and lowest <= totals[0] and totals[-1] <= highest
    for total in [*totals, highest]:
        app = _visited(programs, program_id, ours, office)
        app = actions.do_record_score(app, actor=office, total=str(total), today=TODAY)
        assert app.state == State.SCORED and app.total == total
    app = _visited(programs, program_id, ours, office)
    with pytest.raises(ValidationError, match=f"總分須介於 {lowest} 與 {highest} 之間"):
        actions.do_record_score(app, actor=office, total=str(highest + Decimal("0.01")), today=TODAY)
    with pytest.raises(ValidationError):
        actions.do_record_score(app, actor=office, total="-0.01", today=TODAY)
    app.refresh_from_db()
    assert app.state == State.VISITED and app.total is None


@pytest.mark.parametrize(
    ("program_id", "points"), [("psych-rehab-day-107", 66), ("psych-rehab-residential-107", 67)]
)
def test_a_psychiatric_total_is_a_percentage_up_to_100_not_the_item_points(program_id, points):
    program = load_program(program_id)
    assert program.max_total == points  # the item points, which the web used to cap at
    assert total_range(program) == (Decimal("0.00"), Decimal("100.00"))


def test_the_web_accepts_and_shows_a_psychiatric_total_of_82_50(programs, ours, office):
    app = _visited(programs, "psych-rehab-day-107", ours, office)
    app = actions.do_record_score(app, actor=office, total="82.50", today=TODAY)
    assert app.total == Decimal("82.50")
    page = client_for(office).get(reverse("applications:detail", args=[app.pk]))
    assert page.status_code == 200
    assert "<dd>82.50</dd>" in page.content.decode()
