"""Assigning surveyors and recording their conflict-of-interest declarations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingjian.web.accounts.permissions import is_surveyor
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.text import REASON_MAX_LENGTH, bounded_text

from .models import ConfidentialityAgreement, ConflictOfInterest, SurveyorAssignment
from .permissions import forget_surveyor_cache


@transaction.atomic
def do_assign_surveyor(
    surveyor: Any, institution: Any, *, actor: Any, cycle_label: str = "", reason: str = ""
) -> SurveyorAssignment:
    """Assign a surveyor to an institution; refused when the surveyor declared a conflict with it."""
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    if ConflictOfInterest.objects.filter(surveyor=surveyor, institution=institution).exists():
        raise ValidationError(
            f"{surveyor} 已申報與 {institution} 利益迴避，不得指派 (conflict of interest declared)"
        )
    assignment = SurveyorAssignment.objects.create(
        surveyor=surveyor, institution=institution, cycle_label=cycle_label, assigned_by=actor
    )
    forget_surveyor_cache(surveyor)
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_ASSIGNED,
        subject=assignment,
        after={"surveyor": surveyor.username, "institution": institution.code, "cycle_label": cycle_label},
        reason=reason,
    )
    return assignment


@transaction.atomic
def do_end_assignment(assignment: SurveyorAssignment, *, actor: Any, reason: str) -> SurveyorAssignment:
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    forget_surveyor_cache(assignment.surveyor)
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_ASSIGNMENT_ENDED,
        subject=assignment,
        before={"ended_at": None},
        after={"ended_at": assignment.ended_at},
        reason=reason,
    )
    return assignment


@transaction.atomic
def do_declare_conflict(surveyor: Any, institution: Any, *, actor: Any, reason: str) -> ConflictOfInterest:
    """The surveyor (or the office on their behalf) declares a conflict; from now on the surveyor
    cannot see the institution, even while an assignment to it is still open."""
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="迴避事由")
    if not reason:
        raise ValidationError("請說明迴避事由 (a reason is required)")
    conflict, created = ConflictOfInterest.objects.get_or_create(
        surveyor=surveyor, institution=institution, defaults={"reason": reason}
    )
    forget_surveyor_cache(surveyor)
    if created:
        record_event(
            actor=actor,
            event_type=EventType.SURVEYOR_CONFLICT_DECLARED,
            subject=conflict,
            after={"surveyor": surveyor.username, "institution": institution.code},
            reason=reason,
        )
    return conflict


@transaction.atomic
def do_accept_confidentiality(surveyor: Any, *, program_year: int, actor: Any) -> ConfidentialityAgreement:
    """The surveyor accepts confidentiality (保密) for an ROC program year; once per year."""
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    agreement, created = ConfidentialityAgreement.objects.get_or_create(
        surveyor=surveyor, program_year=program_year
    )
    if created:
        record_event(
            actor=actor,
            event_type=EventType.SURVEYOR_CONFIDENTIALITY_ACCEPTED,
            subject=agreement,
            after={"surveyor": surveyor.username, "program_year": program_year},
        )
    return agreement
