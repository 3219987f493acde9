"""State changes for cycles and their target lists; each one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingjian.rules import eligibility
from pingjian.web.accounts.permissions import is_office_operator
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.institutions.models import Institution
from pingjian.web.registry.models import EntryStatus, RegistryEntry

from .models import Cycle, CycleMode, CycleTarget

# The program files name institution types in the core's words; the web app's choices differ in one.
PROGRAM_TYPE_TO_INSTITUTION_TYPE = {"postpartum_care_home": "postpartum_home"}


def institution_types_of(program: Any) -> list[str]:
    return [PROGRAM_TYPE_TO_INSTITUTION_TYPE.get(t, t) for t in getattr(program, "institution_types", [])]


def defaults_for(version: Any) -> dict[str, Any]:
    """A cycle's dates as the program file states them (the office may change any of them)."""
    program = version.program()
    values: dict[str, Any] = {"title": program.title}
    values["mode"] = CycleMode.MANDATORY if getattr(program, "eligibility", None) else CycleMode.VOLUNTARY
    if getattr(program, "application_window", None):
        values["application_opens"] = program.application_window.opens
        values["application_closes"] = program.application_window.closes
    elif getattr(program, "documents_upload_window", None):
        # a mandatory program has no application: the institution's own deadline in the cycle is
        # the upload of the documents it asks (postpartum-111: seed 002 §八(二), 111/5/31)
        values["application_opens"] = program.documents_upload_window.opens
        values["application_closes"] = program.documents_upload_window.closes
    if getattr(program, "visit_window", None):
        values["visit_opens"] = program.visit_window.opens
        values["visit_closes"] = program.visit_window.closes
    if getattr(program, "preliminary_review_window", None):
        values["preliminary_review_due"] = program.preliminary_review_window.closes
    deadlines = [
        p.remediation_deadline for p in getattr(program, "preconditions", []) if p.remediation_deadline
    ]
    if deadlines:
        values["remediation_due"] = max(deadlines)
    return values


@transaction.atomic
def do_create_cycle(
    version: Any,
    *,
    actor: Any,
    title: str,
    application_closes: dt.date,
    visit_opens: dt.date,
    visit_closes: dt.date,
    mode: str | None = None,
    application_opens: dt.date | None = None,
    preliminary_review_due: dt.date | None = None,
    remediation_due: dt.date | None = None,
    fee_amount: Decimal | None = None,
) -> Cycle:
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("cycles.add_cycle")
    if not version.is_published:
        raise ValidationError("梯次須使用已公告之計畫版本。")
    if application_opens and application_opens > application_closes:
        raise ValidationError("申請起日不得晚於申請迄日。")
    if visit_opens > visit_closes:
        raise ValidationError("實地訪查起日不得晚於迄日。")
    if visit_closes < application_closes:
        raise ValidationError("實地訪查期間不得早於申請期間結束。")
    cycle = Cycle.objects.create(
        program_version=version,
        title=title,
        mode=mode or defaults_for(version)["mode"],
        application_opens=application_opens,
        application_closes=application_closes,
        visit_opens=visit_opens,
        visit_closes=visit_closes,
        preliminary_review_due=preliminary_review_due,
        remediation_due=remediation_due,
        fee_amount=fee_amount,
        created_by=actor,
    )
    record_event(actor=actor, event_type=EventType.CYCLE_CREATED, subject=cycle, after=cycle.snapshot())
    return cycle


def eligibility_input(institution: Institution, program_family: str) -> dict[str, Any]:
    """The core's eligibility input for one institution, from our records: opening and reopening
    dates, owner changes (負責人 history) and earlier results of the same program family from the
    registry (a pass of year Y is valid from 1 January Y+1, so Y = valid_from's year − 1)."""
    opened = institution.opened_on
    evaluations = []
    revoked = False
    entries = RegistryEntry.objects.filter(
        institution=institution, program_id__startswith=f"{program_family}-"
    )
    for entry in entries.order_by("valid_from"):
        year = entry.valid_from.year - 1
        if opened and year < opened.year:
            continue
        passed = entry.result.strip() in {"合格", "pass", "通過"}
        if passed and (entry.valid_until is None or entry.valid_until.year <= year):
            continue
        evaluations.append(
            {
                "year": year,
                "result": "pass" if passed else "fail",
                "valid_until": entry.valid_until.isoformat() if passed and entry.valid_until else None,
            }
        )
        revoked = entry.status in (EntryStatus.REVOKED, EntryStatus.ABOLISHED)
    terms = list(institution.owner_terms.order_by("started_on"))
    reopened = (
        institution.reopened_on
        if institution.reopened_on and opened and institution.reopened_on > opened
        else None
    )
    return {
        "id": institution.code,
        "opened_on": opened.isoformat() if opened else None,
        "reopened_on": reopened.isoformat() if reopened else None,
        "evaluations": evaluations,
        "revoked": revoked,
        "owner_changes": [t.started_on.isoformat() for t in terms[1:] if opened and t.started_on >= opened],
    }


@dataclass(frozen=True)
class TargetSummary:
    targets: int
    not_targets: int
    skipped: list[str]


@transaction.atomic
def do_compute_targets(cycle: Cycle, *, actor: Any) -> TargetSummary:
    """Apply the program's eligibility clauses (seed 002 §五) to every institution of its types and
    store the targets with clause and reason. Re-running replaces unconfirmed rows only."""
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("cycles.compute_targets")
    program = cycle.program_version.program()
    if not getattr(program, "eligibility", None):
        raise ValidationError("此計畫為機構自願申請，無評鑑對象規則。")
    family = program.id.rsplit("-", 1)[0]
    institutions = Institution.objects.filter(type__in=institution_types_of(program), closed_on__isnull=True)
    confirmed = set(cycle.targets.filter(confirmed_at__isnull=False).values_list("institution_id", flat=True))
    cycle.targets.filter(confirmed_at__isnull=True).delete()
    found = not_found = 0
    skipped: list[str] = []
    for institution in institutions.order_by("code"):
        if institution.opened_on is None:
            skipped.append(f"{institution.code}：無開業日期，無法判定")
            continue
        finding = eligibility.check_all(program, [eligibility_input(institution, family)])[0]
        if not finding.eligible:
            not_found += 1
            continue
        found += 1
        if institution.pk not in confirmed:
            CycleTarget.objects.create(
                cycle=cycle, institution=institution, clause=finding.clause or "", reason=finding.reason
            )
    record_event(
        actor=actor,
        event_type=EventType.CYCLE_TARGETS_COMPUTED,
        subject=cycle,
        after={"targets": found, "not_targets": not_found, "skipped": skipped},
    )
    return TargetSummary(found, not_found, skipped)
