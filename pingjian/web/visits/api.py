"""The visits API: the roster, conflicts of interest, assignments and the visit schedule. Every list
is the caller's scope (visits.permissions) and every object is looked up through
core.access.get_object_for_user, so a conflicted surveyor gets 404 exactly as on the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pingjian.web.accounts.models import User
from pingjian.web.accounts.permissions import institution_ids_of, is_office_staff, is_surveyor
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.bounds import MAX_KEY
from pingjian.web.core.pagination import BoundedLimitOffsetPagination
from pingjian.web.core.text import REASON_MAX_LENGTH
from pingjian.web.institutions.models import Institution

from .actions import (
    do_assign_surveyor,
    do_declare_conflict,
    do_declare_conflict_by_institution,
    do_waive_conflict,
)
from .conflicts import conflicted_institution_ids, conflicts
from .models import (
    BASIS_MAX_LENGTH,
    CYCLE_LABEL_MAX_LENGTH,
    ConflictOfInterest,
    ConflictReason,
    SurveyorAssignment,
    SurveyorProfile,
    Visit,
)

router = Router(tags=["visits"])


# bounds of the bodies' fields (issue 17): their columns' lengths, so a longer one is a 422 naming it
CODE_MAX_LENGTH = Institution._meta.get_field("code").max_length
REASON_CODE_MAX_LENGTH = ConflictOfInterest._meta.get_field("reason_code").max_length


class ProfileOut(Schema):
    surveyor_id: int
    name: str
    expertise: list[str]
    programs: list[str]
    consensus_cycles: list[int]


class ConflictOut(Schema):
    surveyor_id: int
    institution_code: str
    basis: str
    side: str
    severity: str
    description: str
    waived: bool


class SurveyorConflictIn(Schema):
    institution_code: str = Field(..., max_length=CODE_MAX_LENGTH)
    reason_code: str = Field(ConflictReason.OTHER, max_length=REASON_CODE_MAX_LENGTH)
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)


class InstitutionConflictIn(Schema):
    institution_code: str = Field(..., max_length=CODE_MAX_LENGTH)
    surveyor_id: int = Field(..., ge=1, le=MAX_KEY)
    reason_code: str = Field(ConflictReason.OTHER, max_length=REASON_CODE_MAX_LENGTH)
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)


class WaiverIn(Schema):
    surveyor_id: int = Field(..., ge=1, le=MAX_KEY)
    institution_code: str = Field(..., max_length=CODE_MAX_LENGTH)
    basis: str = Field(..., max_length=BASIS_MAX_LENGTH)
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)


class AssignmentIn(Schema):
    surveyor_id: int = Field(..., ge=1, le=MAX_KEY)
    institution_code: str = Field(..., max_length=CODE_MAX_LENGTH)
    cycle_label: str = Field("", max_length=CYCLE_LABEL_MAX_LENGTH)


class AssignmentOut(Schema):
    id: int
    surveyor_id: int
    institution_code: str
    cycle_label: str
    active: bool


class MemberOut(Schema):
    surveyor_id: int
    name: str
    role: str


class VisitOut(Schema):
    id: int
    application_id: int
    institution_code: str
    institution_name: str
    day: dt.date
    half: str
    pinned: bool
    bureau_attended: bool | None
    members: list[MemberOut]


def _institution(request: HttpRequest, code: str) -> Institution:
    return get_object_for_user(Institution, request.user, code=code)


@router.get("/roster", response=list[ProfileOut], summary="評鑑委員名冊 (office)")
@paginate(BoundedLimitOffsetPagination)
def roster(request: HttpRequest):  # type: ignore[no-untyped-def]
    require_perm(request.user, "visits.manage_surveyors")
    return [
        ProfileOut(
            surveyor_id=p.surveyor_id,
            name=str(p.surveyor),
            expertise=p.expertise,
            programs=p.programs,
            consensus_cycles=sorted(p.surveyor.consensus_meetings.values_list("cycle_id", flat=True)),
        )
        for p in SurveyorProfile.objects.select_related("surveyor").order_by("surveyor__username")
    ]


@router.get("/conflicts", response=list[ConflictOut], summary="利益迴避 (the caller's scope)")
@paginate(BoundedLimitOffsetPagination)
def list_conflicts(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = request.user
    if is_office_staff(user):
        found = conflicts()
    elif is_surveyor(user):
        found = conflicts(surveyor_ids=[user.pk])
    else:  # an institution's members see what their institution declared, nothing found or waived
        found = [c for c in conflicts(institution_ids=institution_ids_of(user)) if c.side == "institution"]
    codes = dict(
        Institution.objects.filter(pk__in={c.institution_id for c in found}).values_list("pk", "code")
    )
    return [
        ConflictOut(
            surveyor_id=c.surveyor_id,
            institution_code=codes[c.institution_id],
            basis=c.basis,
            side=c.side,
            severity=c.severity,
            description=c.description,
            waived=c.waived,
        )
        for c in found
    ]


@router.post("/conflicts", response={201: dict}, summary="委員申報利益迴避")
def declare(request: HttpRequest, payload: SurveyorConflictIn):  # type: ignore[no-untyped-def]
    require_perm(request.user, "visits.add_conflictofinterest")
    if not is_surveyor(request.user):
        raise PermissionDenied("visits.add_conflictofinterest")
    # any institution may be named, even one the surveyor cannot see yet
    institution = Institution.objects.filter(code=payload.institution_code).first()
    if institution is None:
        raise Http404("institution not found")
    do_declare_conflict(
        request.user, institution, actor=request.user, reason=payload.reason, reason_code=payload.reason_code
    )
    return Status(201, {"institution_code": institution.code})


@router.post("/conflicts/by-institution", response={201: dict}, summary="機構申報委員利益迴避")
def declare_by_institution(request: HttpRequest, payload: InstitutionConflictIn):  # type: ignore[no-untyped-def]
    institution = _institution(request, payload.institution_code)
    surveyor = User.objects.filter(pk=payload.surveyor_id, is_active=True).first()
    if surveyor is None or not is_surveyor(surveyor):
        raise Http404("surveyor not found")
    do_declare_conflict_by_institution(
        institution, surveyor, actor=request.user, reason=payload.reason, reason_code=payload.reason_code
    )
    return Status(201, {"surveyor_id": surveyor.pk})


@router.post("/conflicts/waive", response={201: dict}, summary="免除利益迴避 (office, soft ones only)")
def waive(request: HttpRequest, payload: WaiverIn):  # type: ignore[no-untyped-def]
    require_perm(request.user, "visits.waive_conflict")
    surveyor = get_object_for_user(User, request.user, pk=payload.surveyor_id)
    institution = _institution(request, payload.institution_code)
    do_waive_conflict(surveyor, institution, basis=payload.basis, actor=request.user, reason=payload.reason)
    return Status(201, {"basis": payload.basis})


def _assignment_out(a: SurveyorAssignment) -> AssignmentOut:
    return AssignmentOut(
        id=a.pk,
        surveyor_id=a.surveyor_id,
        institution_code=a.institution.code,
        cycle_label=a.cycle_label,
        active=a.ended_at is None,
    )


@router.get("/assignments", response=list[AssignmentOut], summary="委員指派 (the caller's scope)")
@paginate(BoundedLimitOffsetPagination)
def list_assignments(request: HttpRequest):  # type: ignore[no-untyped-def]
    rows = SurveyorAssignment.objects.visible_to(request.user).select_related("institution")
    if is_surveyor(request.user) and not is_office_staff(request.user):
        rows = rows.exclude(institution_id__in=conflicted_institution_ids(request.user))
    return [_assignment_out(a) for a in rows.order_by("pk")]


@router.post("/assignments", response={201: AssignmentOut}, summary="指派委員 (office; 422 when conflicted)")
def assign(request: HttpRequest, payload: AssignmentIn):  # type: ignore[no-untyped-def]
    require_perm(request.user, "visits.add_surveyorassignment")
    surveyor = get_object_for_user(User, request.user, pk=payload.surveyor_id)
    institution = _institution(request, payload.institution_code)
    assignment = do_assign_surveyor(
        surveyor, institution, actor=request.user, cycle_label=payload.cycle_label
    )
    return Status(201, _assignment_out(assignment))


def _visit_out(v: Visit) -> VisitOut:
    return VisitOut(
        id=v.pk,
        application_id=v.application_id,
        institution_code=v.application.institution.code,
        institution_name=v.application.institution.name,
        day=v.day,
        half=v.half,
        pinned=v.pinned,
        bureau_attended=v.bureau_attended,
        members=[
            MemberOut(surveyor_id=m.surveyor_id, name=str(m.surveyor), role=m.role) for m in v.members.all()
        ],
    )


@router.get("/schedule", response=list[VisitOut], summary="實地訪查排程 (the caller's scope)")
@paginate(BoundedLimitOffsetPagination)
def schedule(request: HttpRequest, cycle: int | None = Query(None, ge=1, le=MAX_KEY)):  # type: ignore[no-untyped-def]
    rows = Visit.objects.visible_to(request.user).select_related("application__institution")
    if cycle is not None:
        rows = rows.filter(application__cycle_id=cycle)
    return [_visit_out(v) for v in rows.prefetch_related("members__surveyor")]


@router.get("/schedule/{visit_id}", response=VisitOut, summary="實地訪查 (404 outside the caller's scope)")
def visit_detail(request: HttpRequest, visit_id: int):  # type: ignore[no-untyped-def]
    return _visit_out(get_object_for_user(Visit, request.user, pk=visit_id))
