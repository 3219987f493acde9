"""Demo cycles: the three official cycles of the seeds (postpartum 111, the two JCT 112
certifications) with their published dates, and two current cycles dated around today so the demo
has live deadlines: postpartum (reusing the 111 criteria) and the JCT cell-therapy certification
(reusing the 112 criteria, where a clinic has been asked for supplements)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pingjian.web.core.clock import local_today
from pingjian.web.cycles.actions import defaults_for, do_create_cycle
from pingjian.web.cycles.models import Cycle
from pingjian.web.programs.models import ProgramVersion

CURRENT_TITLE = "產後護理之家評鑑（示範梯次，沿用111年度基準）"
CURRENT_JCT_TITLE = "診所細胞治療品質認證（示範梯次，沿用112年度基準）"


def current_cycle_dates(today: dt.date) -> dict[str, Any]:
    return {
        "application_opens": today - dt.timedelta(days=100),
        "application_closes": today + dt.timedelta(days=10),
        "visit_opens": today - dt.timedelta(days=30),
        "visit_closes": today + dt.timedelta(days=120),
        "preliminary_review_due": today + dt.timedelta(days=14),
        "remediation_due": today + dt.timedelta(days=60),
    }


def seed(data: Any) -> None:
    office = data.users["office"]
    for program_id, fee in (
        ("postpartum-111", None),
        ("aesthetic-clinic-112", 30000),
        ("cell-therapy-clinic-112", 50000),
    ):
        version = ProgramVersion.objects.latest_published(program_id)
        values = defaults_for(version)
        if Cycle.objects.filter(title=values["title"]).exists():
            continue
        if fee:
            values["fee_amount"] = Decimal(fee)
        values.setdefault("visit_opens", values["application_closes"] + dt.timedelta(days=30))
        values.setdefault("visit_closes", dt.date(values["application_closes"].year, 12, 31))
        do_create_cycle(version, actor=office, **values)
    if not Cycle.objects.filter(title=CURRENT_TITLE).exists():
        version = ProgramVersion.objects.latest_published("postpartum-111")
        do_create_cycle(
            version, actor=office, title=CURRENT_TITLE, mode="mandatory", **current_cycle_dates(local_today())
        )
    if not Cycle.objects.filter(title=CURRENT_JCT_TITLE).exists():
        version = ProgramVersion.objects.latest_published("cell-therapy-clinic-112")
        dates = current_cycle_dates(local_today())
        do_create_cycle(
            version,
            actor=office,
            title=CURRENT_JCT_TITLE,
            mode="voluntary",
            fee_amount=Decimal(50000),
            application_opens=dates["application_opens"],
            application_closes=dates["application_closes"],
            visit_opens=dates["visit_opens"],
            visit_closes=dates["visit_closes"],
        )
