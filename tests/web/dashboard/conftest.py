"""Two finished postpartum cycles with submitted on-site scores and decided results, and open
applications with deadlines: the data of the office's charts and what-if (issue 15)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from pingjian.rules.programs import load_program
from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.web.applications.actions import do_open_application
from pingjian.web.applications.models import Application
from pingjian.web.assessments.models import Assessment, Kind, ScoreEntry
from pingjian.web.assessments.scoring import compute
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.visits.models import Visit
from tests.web.support import TODAY, make_cycle

POSTPARTUM = "postpartum-111"
_codes = itertools.count(1)


def losses_for(total: Decimal) -> dict[str, Decimal]:
    """Points lost per postpartum item so the item scores sum to TOTAL (of 100): taken from the
    items in order, each at most its max."""
    program = load_program(POSTPARTUM)
    left = Decimal(100) - total
    losses = {}
    for item in program.items:
        lost = min(item.max_points, left)
        losses[item.id] = lost
        left -= lost
    return losses


@dataclass
class Scored:
    cycles: list = field(default_factory=list)
    # application pk → (cycle pk, {item: points lost}, stored total)
    applications: dict = field(default_factory=dict)


def make_institution(name: str, county: str, kind: str = InstitutionType.POSTPARTUM_HOME):
    n = next(_codes)
    return do_create_institution(
        actor=None, code=f"0195{n:06d}", name=name, type=kind,
        county=county, address="臺北市中正區重慶南路一段1號", opened_on=dt.date(2010, 1, 1),
    )  # fmt: skip


def scores_for(losses: dict[str, Decimal]) -> dict[str, dict]:
    """Each postpartum item given as a score: its max − its loss."""
    return {i.id: {"score": float(i.max_points - losses[i.id])} for i in load_program(POSTPARTUM).items}


def submitted_assessment(application, office, items: dict[str, dict]) -> Assessment:
    """A visit of APPLICATION with the team's consensus ITEMS (and every precondition compliant)
    submitted, its total and result the rules core's; the application decided and final."""
    program = application.program_version.program()
    visit = Visit.objects.create(application=application, day=dt.date(2022, 8, 15), half="am")
    assessment = Assessment.objects.create(visit=visit)
    values = {f"precondition:{p.id}": {"status": "compliant"} for p in program.preconditions} | items
    for key, value in values.items():
        ScoreEntry.objects.create(
            assessment=assessment, kind=Kind.CONSENSUS, key=key, value=value, updated_by=office
        )
    result = compute(program, visit, values).result
    assessment.state, assessment.submitted_at, assessment.submitted_by = "submitted", timezone.now(), office
    assessment.total, assessment.max_total, assessment.result = result.total, result.max_total, result.result
    assessment.trace = list(result.trace)
    assessment.save()
    Application.objects.filter(pk=application.pk).update(
        state="final", total=result.total, result=result.result, decided_on=TODAY
    )
    return assessment


@pytest.fixture
def scored(programs, office) -> Scored:
    """Cycle 1: totals 72 (TPE), 69 (TPE), 85 (KHH), 71 (KHH); cycle 2: 70 (TPE), 60 (KHH)."""
    data = Scored()
    plan = [
        ("一一一年度第一梯次", [("甲", County.TAIPEI, "72"), ("乙", County.TAIPEI, "69"),
                               ("丙", County.KAOHSIUNG, "85"), ("丁", County.KAOHSIUNG, "71")]),
        ("一一一年度第二梯次", [("戊", County.TAIPEI, "70"), ("己", County.KAOHSIUNG, "60.5")]),
    ]  # fmt: skip
    for title, rows in plan:
        cycle = make_cycle(programs[POSTPARTUM], office, title=title)
        data.cycles.append(cycle)
        for name, county, total in rows:
            institution = make_institution(f"{name}產後護理之家", county)
            application = do_open_application(cycle, institution, actor=office)
            losses = losses_for(Decimal(total))
            submitted_assessment(application, office, scores_for(losses))
            data.applications[application.pk] = (cycle.pk, losses, Decimal(total))
    return data


def working_day_after(start: dt.date, n: int) -> dt.date:
    return WorkingDayCalendar.load().nth_workday_after(start, n, "臺北市")


@pytest.fixture
def deadlines(programs, office):
    """Open applications in Taipei: a supplement due in 2 working days, evidence due in 4, a
    visit in 20, an overdue supplement, and a draft whose cycle closes in 30 days."""
    cycle = make_cycle(programs[POSTPARTUM], office, title="一一二年度梯次")
    rows = {
        "補件兩日": ("supplement_requested", {"supplement_due": working_day_after(TODAY, 2)}),
        "申報四日": ("evidence_due", {"evidence_due": working_day_after(TODAY, 4)}),
        "訪查二十日": ("scheduled", {"visit_date": working_day_after(TODAY, 20)}),
        "補件逾期": ("supplement_requested", {"supplement_due": TODAY - dt.timedelta(days=3)}),
        "草稿": ("draft", {}),
    }
    made = {}
    for name, (state, dates) in rows.items():
        application = do_open_application(
            cycle, make_institution(f"{name}護理之家", County.TAIPEI), actor=office
        )
        Application.objects.filter(pk=application.pk).update(state=state, **dates)
        made[name] = application.pk
    return made


@pytest.fixture
def demo(settings, tmp_path):
    """The seeded demo (demo mode), its files in a temporary media folder."""
    from pingjian.web.dashboard.demo import seed_demo

    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return seed_demo()
