"""The scoring form of a site visit (評分表), generated from the program's data for every program:
each criterion with its text, purpose, requirements (on-site-only ones marked), notes, consensus
guidance and Q&A, the institution's evidence for it, the team member's private notes, and inputs
in exactly the forms the criterion accepts. Entries are sent by `assessments/scoring.js` to the
API (queued in IndexedDB while offline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingjian.rules.scoring import RESULT_LABELS
from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.visits.models import Visit

from .actions import (
    do_approve_opinion,
    do_record_assessment_score,
    do_return_opinion,
    do_save_note,
    do_save_opinion_entries,
    do_submit_assessment,
    do_submit_opinion,
)
from .error_codes import AssessmentErrorCode
from .models import OVERALL, Assessment, Kind, Opinion
from .scoring import PRECONDITION_PREFIX, precondition_choices, program_of, trace_in_words
from .selectors import notes_of, opinion_of, pledge_required, scoring_state

FORM_LABELS = {"score": "評分", "met": "符合之基準說明", "grade": "評等", "result": "判定", "exempt": "免評"}


@login_required
@require_GET
def scoring_form(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_object_for_user(Visit, request.user, perm="assessments.score_visit", pk=visit_pk)
    program = program_of(visit)
    kind = Kind.MEMBER if request.GET.get("kind") == Kind.MEMBER else Kind.CONSENSUS
    state = scoring_state(visit, request.user)
    entries = {e["key"]: e for e in (state["mine"] if kind == Kind.MEMBER else state["consensus"])}
    evidence: dict[str, list[EvidenceFile]] = {}
    for f in EvidenceFile.objects.filter(application=visit.application, superseded_at__isnull=True):
        evidence.setdefault(f.item_id, []).append(f)
    notes = notes_of(visit, request.user)
    criteria = [
        {
            "item": item,
            "forms": [(form, FORM_LABELS[form]) for form in item.accepted_forms],
            "entry": entries.get(item.id),
            "evidence": evidence.get(item.id, []),
            "note": notes.get(item.id, ""),
        }
        for item in program.items
    ]
    preconditions = [
        {
            "precondition": p,
            "key": PRECONDITION_PREFIX + p.id,
            "entry": entries.get(PRECONDITION_PREFIX + p.id),
        }
        for p in program.preconditions
    ]
    return render(
        request,
        "assessments/form.html",
        {
            "visit": visit,
            "program": program,
            "kind": kind,
            "criteria": criteria,
            "preconditions": preconditions,
            "statuses": precondition_choices(),
            "results": list(RESULT_LABELS.items()),
            "computed": state["computed"],
            "trace": trace_in_words((state["computed"].get("score") or {}).get("trace") or []),
            "state": state["state"],
            "visit_note": notes.get("", ""),
            "note_max_length": MESSAGE_MAX_LENGTH,
            "pledge": state["confidentiality_required"],
            "can_submit": state["state"] == "open"
            and not state["confidentiality_required"]
            and request.user.has_perm("assessments.submit_assessment", visit),
        },
    )


@login_required
@require_POST
def save_note(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_object_for_user(Visit, request.user, perm="assessments.write_note", pk=visit_pk)
    try:
        do_save_note(
            visit, actor=request.user, key=request.POST.get("key", ""), text=request.POST.get("text", "")
        )
    except ValidationError as exc:  # beyond its bound (issue 17): said on the form, nothing stored
        messages.error(request, _("筆記未儲存：%(why)s") % {"why": " ".join(exc.messages)})
    return redirect("assessments:form", visit_pk=visit.pk)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def submit_assessment(request: HttpRequest, visit_pk: int) -> HttpResponse:
    """The team's 送出評分 button (the same action as the API's submit)."""
    visit = get_object_for_user(Visit, request.user, perm="assessments.submit_assessment", pk=visit_pk)
    try:
        do_submit_assessment(visit, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已送出評分。"))
    return redirect("assessments:form", visit_pk=visit.pk)


@login_required
@require_POST
def record_score(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """The office's 依評分結果登錄成績 button: the application's score is the rules core's total."""
    assessment = get_object_for_user(
        Assessment, request.user, perm="assessments.record_score", pk=assessment_pk
    )
    try:
        application = do_record_assessment_score(assessment, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
        application = assessment.visit.application
    else:
        messages.success(request, _("已依評分結果登錄成績。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
def opinion_page(request: HttpRequest, visit_pk: int) -> HttpResponse:
    """評鑑意見書: the team writes strengths and recommendations per criterion and overall, and
    sends them for review; the office approves them or sends them back with a reason."""
    visit = get_object_for_user(Visit, request.user, perm="assessments.view_entries", pk=visit_pk)
    status = 200
    if request.method == "POST":
        try:
            _opinion_post(request, visit)
        except ValidationError as exc:
            _refused(request, exc)
            if getattr(exc, "code", None) != AssessmentErrorCode.OPINION_CONFLICT:
                return redirect("assessments:opinions", visit_pk=visit.pk)
            status = 409  # someone else's newer text: shown again, nothing of this save stored
        else:
            return redirect("assessments:opinions", visit_pk=visit.pk)
    opinion = opinion_of(visit)
    entries = {} if opinion is None else {e.key: e for e in opinion.entries.all()}
    pledge = pledge_required(visit, request.user)
    return render(
        request,
        "assessments/opinions.html",
        {
            "visit": visit,
            "opinion": opinion,
            "state": Opinion.State.DRAFT if opinion is None else opinion.state,
            "overall": entries.get(OVERALL),
            "rows": [{"item": item, "entry": entries.get(item.id)} for item in program_of(visit).items],
            "pledge": pledge,
            "can_write": pledge is None and request.user.has_perm("assessments.write_opinion", visit),
            "statement_max_length": STATEMENT_MAX_LENGTH,
            "reason_max_length": REASON_MAX_LENGTH,
            "can_review": opinion is not None
            and request.user.has_perm("assessments.review_opinion", opinion),
        },
        status=status,
    )


def _version_field(request: HttpRequest, key: str) -> int | None:
    """The version of KEY's opinion the page showed (absent from older pages: not checked)."""
    raw = request.POST.get(f"version-{key}", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationError(f"version-{key}: 版本須為數字", code=AssessmentErrorCode.INVALID_ENTRY)
    return int(raw)


def _opinion_post(request: HttpRequest, visit: Visit) -> None:
    step = request.POST.get("step", "save")
    user = request.user
    if step in ("save", "submit"):
        if not user.has_perm("assessments.write_opinion", visit):
            raise PermissionDenied("assessments.write_opinion")
        keys = [OVERALL] + [item.id for item in program_of(visit).items]
        opinion = opinion_of(visit)
        stored = {} if opinion is None else {e.key: e for e in opinion.entries.all()}
        changed = []
        for key in keys:
            strengths = request.POST.get(f"strengths-{key}", "")
            recommendations = request.POST.get(f"recommendations-{key}", "")
            old = stored.get(key)
            unchanged = (old.strengths, old.recommendations) if old else ("", "")
            if (strengths.strip(), recommendations.strip()) != unchanged:
                changed.append(
                    {"key": key, "strengths": strengths, "recommendations": recommendations,
                     "base_version": _version_field(request, key)}
                )  # fmt: skip
        do_save_opinion_entries(visit, actor=user, entries=changed)
        if step == "submit":
            do_submit_opinion(visit, actor=user)
            messages.success(request, _("已送審評鑑意見書。"))
        else:
            messages.success(request, _("已儲存評鑑意見。"))
        return
    opinion = get_object_for_user(Opinion, user, perm="assessments.review_opinion", visit=visit)
    if step == "approve":
        do_approve_opinion(opinion, actor=user)
        messages.success(request, _("已核定評鑑意見書。"))
    elif step == "return":
        do_return_opinion(opinion, actor=user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已退回評鑑意見書。"))
