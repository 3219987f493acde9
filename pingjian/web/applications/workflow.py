"""The application workflow as data: every state, every transition, who may fire it.

This table is the one place the workflow lives. `actions.fire` reads it to check the state and the
actor's role, `views` and `api` read it to offer only the transitions a user may fire, and the
tests walk it (every transition × every role × every state). Seed references:
seed 001 認證申請流程 (提出申請 → 資格審查「若不完整則須於5個工作天內完成補件」→ 繳交資料「實地訪視
當日前1個月」→ 實地訪視 → 評定程序), seed 002 §八–§十二 (postpartum: review, visit, results, 申復).

Roles: ``institution`` = a member of the application's institution; ``office`` = 評鑑辦公室人員.
Every return to the institution (``request_supplement``) carries a message, and the way back is
the distinct state ``resubmitted`` so a second review is visibly a second review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已送件")
    QUALIFICATION_REVIEW = "qualification_review", _("資格審查中")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待補件")
    RESUBMITTED = "resubmitted", _("已補件")
    ACCEPTED = "accepted", _("資格審查通過")
    EVIDENCE_DUE = "evidence_due", _("待繳交申報資料")
    SCHEDULED = "scheduled", _("已排定實地訪查")
    VISITED = "visited", _("已完成實地訪查")
    SCORED = "scored", _("已評分")
    DECIDED = "decided", _("已評定")
    APPEAL = "appeal", _("申復中")
    FINAL = "final", _("結果確定")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("不受理")


INSTITUTION = "institution"
OFFICE = "office"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str
    message_required: bool = False
    returns_to_institution: bool = False
    needs: tuple[str, ...] = ()  # data the transition asks for (visit_date, result …)
    consequence: str = ""  # an irreversible step: what it ends, confirmed before it is fired


def _t(name, sources, target, roles, label, **kw) -> Transition:  # type: ignore[no-untyped-def]
    return Transition(name, frozenset(sources), target, frozenset(roles), label, **kw)


S = State
BEFORE_VISIT = {
    S.DRAFT,
    S.SUBMITTED,
    S.QUALIFICATION_REVIEW,
    S.SUPPLEMENT_REQUESTED,
    S.RESUBMITTED,
    S.ACCEPTED,
    S.EVIDENCE_DUE,
    S.SCHEDULED,
}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("submit", {S.DRAFT}, S.SUBMITTED, {INSTITUTION}, _("送出申請")),
        _t("start_review", {S.SUBMITTED, S.RESUBMITTED}, S.QUALIFICATION_REVIEW, {OFFICE}, _("開始資格審查")),
        _t(
            "request_supplement",
            {S.QUALIFICATION_REVIEW},
            S.SUPPLEMENT_REQUESTED,
            {OFFICE},
            _("通知補件"),
            message_required=True,
            returns_to_institution=True,
        ),
        _t("resubmit", {S.SUPPLEMENT_REQUESTED}, S.RESUBMITTED, {INSTITUTION}, _("完成補件")),
        _t("accept", {S.QUALIFICATION_REVIEW}, S.ACCEPTED, {OFFICE}, _("資格審查通過")),
        _t(
            "reject",
            {S.QUALIFICATION_REVIEW, S.SUPPLEMENT_REQUESTED},
            S.REJECTED,
            {OFFICE},
            _("不受理"),
            message_required=True,
            consequence=_(
                "本申請案將結束，機構不能再補件；如欲再受評，須於下次申請期間重新申請。此動作無法復原。"
            ),
        ),
        _t(
            "request_evidence",
            {S.ACCEPTED},
            S.EVIDENCE_DUE,
            {OFFICE},
            _("通知繳交申報資料"),
            needs=("visit_date",),
        ),
        _t(
            "schedule_visit",
            {S.EVIDENCE_DUE},
            S.SCHEDULED,
            {OFFICE},
            _("排定實地訪查"),
            needs=("visit_date",),
        ),
        _t("record_visit", {S.SCHEDULED}, S.VISITED, {OFFICE}, _("完成實地訪查")),
        _t("record_score", {S.VISITED}, S.SCORED, {OFFICE}, _("登錄成績"), needs=("total",)),
        _t("decide", {S.SCORED}, S.DECIDED, {OFFICE}, _("評定結果"), needs=("result",)),
        _t("appeal", {S.DECIDED}, S.APPEAL, {INSTITUTION}, _("提出申復"), message_required=True),
        _t("finalize", {S.DECIDED, S.APPEAL}, S.FINAL, {OFFICE}, _("結果確定")),
        _t(
            "withdraw",
            BEFORE_VISIT,
            S.WITHDRAWN,
            {INSTITUTION, OFFICE},
            _("撤回申請"),
            message_required=True,
            consequence=_(
                "本申請案將結束，已上傳資料不再審查；如欲再受評，須於下次申請期間重新申請。此動作無法復原。"
            ),
        ),
    )
}

# A decided record is locked: changing one part of it needs an unlock with a reason (audited).
LOCKED_STATES = frozenset({S.DECIDED, S.APPEAL, S.FINAL})
TERMINAL_STATES = frozenset({S.FINAL, S.WITHDRAWN, S.REJECTED})


class Part(models.TextChoices):
    """The parts of a locked application that can be unlocked one at a time."""

    FEE = "fee", _("費用")
    EVIDENCE = "evidence", _("佐證資料")
    VISIT = "visit", _("實地訪查日期")
    RESULT = "result", _("成績與結果")


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
