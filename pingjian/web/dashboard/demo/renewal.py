"""One JCT clinic in the last 12 months of its certification, its renewal (續約) opened: seed 000
(認證效期「通過者3年」), the window of applications.actions.renewal_window. The demo's 112 cases were
decided in 2023 and their certificates have ended; this one is dated from the seeding day (the
clock's local_today), so the demo shows a renewal in any year.

A cell-therapy clinic went the real way (demo/finalised.py) through an earlier cycle of the program
dated about three years back, so that its certificate, published by the finalisation
(decisions.actions.do_finalize_decision → registry.actions.do_publish_result), ends DAYS_LEFT days
after the seeding day; the office then opened its renewal (applications.actions.do_open_renewal) in
the current cell-therapy cycle (demo/cycles.py): a draft linked to the finalised application.

Idempotent: skipped when the earlier cycle exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.core.clock import local_today
from pingjian.web.cycles.actions import do_create_cycle
from pingjian.web.cycles.models import Cycle
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.programs.models import ProgramVersion
from pingjian.web.registry.models import RegistryEntry

from .base import demo_clinic
from .cycles import CURRENT_JCT_TITLE
from .finalised import Case, _workday, finalise

PROGRAM = "cell-therapy-clinic-112"
EARLIER_TITLE = "診所細胞治療品質認證（示範前次梯次，沿用112年度基準）"
DAYS_LEFT = 120  # the certificate's last day, counted from the seeding day: inside its last 12 months
OPINION = ("細胞製備及保存流程之標準作業程序完整。", "建議定期檢視合作細胞製備場所之稽核紀錄。")


def _three_years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 3, day=28)


def _clinic(data: Any) -> Institution:
    """A cell-therapy clinic with no application in the current cycle (the one asked for
    supplements has one) and no certificate of the program yet; not the demo clinic account's."""
    current = Cycle.objects.get(title=CURRENT_JCT_TITLE)
    certified = RegistryEntry.objects.filter(program_id=PROGRAM).values_list("institution", flat=True)
    return (
        Institution.objects.filter(
            type=InstitutionType.CLINIC,
            name__contains="細胞治療",
            pk__in=[i.pk for i in data.institutions],
        )
        .exclude(applications__cycle=current)
        .exclude(pk__in=certified)
        .exclude(pk=demo_clinic(data.institutions).pk)
        .order_by("code")
        .first()
    )


def seed(data: Any) -> Application | None:
    if Cycle.objects.filter(title=EARLIER_TITLE).exists():
        return None
    office = data.users["office"]
    today = local_today()
    clinic = _clinic(data)
    # decided on the county's working day on or before the day whose 3 years end DAYS_LEFT days ahead
    meeting = _three_years_before(today + dt.timedelta(days=DAYS_LEFT + 1))
    while _workday(clinic, meeting) != meeting:
        meeting -= dt.timedelta(days=1)
    # the 112 cycle's spacing (application 5/15–6/30, visit from 7/30, decision 9/15), moved
    cycle = do_create_cycle(
        ProgramVersion.objects.latest_published(PROGRAM),
        actor=office,
        title=EARLIER_TITLE,
        mode="voluntary",
        fee_amount=Decimal(50000),
        application_opens=meeting - dt.timedelta(days=123),
        application_closes=meeting - dt.timedelta(days=77),
        visit_opens=meeting - dt.timedelta(days=47),
        visit_closes=meeting + dt.timedelta(days=107),
    )
    case = Case(
        PROGRAM, InstitutionType.CLINIC, applied=meeting - dt.timedelta(days=115),
        visit=meeting - dt.timedelta(days=36), meeting=meeting, roster="surveyor-jct", opinion=OPINION,
    )  # fmt: skip
    decision = finalise(case, data, cycle=cycle, institution=clinic)
    assert decision is not None and decision.published
    return actions.do_open_renewal(decision.application, actor=office, today=today)
