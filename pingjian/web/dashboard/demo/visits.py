"""The demo's visit schedule: the demo surveyor (護理) and a partner for 管理與環境安全 on the
roster, both at the demo cycle's consensus meeting, and the cycle's visits planned by the
scheduler, so the office's schedule and the surveyor's upcoming visits have content; before
them, one visit of eleven days ago scored by the team with its opinions (scored.py)."""

from __future__ import annotations

from typing import Any

from pingjian.web.accounts.actions import do_create_user, do_grant_membership
from pingjian.web.accounts.models import User
from pingjian.web.accounts.roles import Role
from pingjian.web.core.clock import local_today
from pingjian.web.cycles.models import Cycle
from pingjian.web.visits.actions import (
    do_plan_cycle_visits,
    do_record_consensus_attendance,
    do_set_surveyor_profile,
)
from pingjian.web.visits.models import Visit

from . import scored
from .cycles import CURRENT_TITLE

PARTNER = "surveyor-safety"  # no password: a colleague on the roster, not a demo sign-in


def seed(data: Any) -> None:
    office, surveyor = data.users["office"], data.users["surveyor"]
    current = Cycle.objects.get(title=CURRENT_TITLE)
    if Visit.objects.filter(application__cycle=current).exists():
        return
    partner = User.objects.filter(username=PARTNER).first()
    if partner is None:
        partner = do_create_user(
            username=PARTNER, password=None, display_name="林安和（示範委員）",
            actor=None, reason="示範資料 demo data",
        )  # fmt: skip
        do_grant_membership(partner, role=Role.SURVEYOR, actor=None, reason="示範資料 demo data")
    for member, expertise in ((surveyor, ["nursing"]), (partner, ["environment_safety", "management"])):
        do_set_surveyor_profile(member, expertise=expertise, programs=["postpartum"], actor=office)
        do_record_consensus_attendance(member, current, attended_on=local_today(), actor=office)
    scored.seed(current, office=office, team=[surveyor, partner])
    do_plan_cycle_visits(current, actor=office)
