"""The scoring form of a site visit (評分表), generated from the program's data for every program:
each criterion with its text, purpose, requirements (on-site-only ones marked), notes, consensus
guidance and Q&A, the institution's evidence for it, the team member's private notes, and inputs
in exactly the forms the criterion accepts. Entries are sent by `assessments/scoring.js` to the
API (queued in IndexedDB while offline)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pingjian.rules.scoring import RESULT_LABELS
from pingjian.web.core.access import get_object_for_user
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.visits.models import Visit

from .actions import do_save_note
from .models import Kind
from .scoring import PRECONDITION_PREFIX, precondition_choices, program_of
from .selectors import notes_of, scoring_state

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
            "state": state["state"],
            "visit_note": notes.get("", ""),
        },
    )


@login_required
@require_POST
def save_note(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_object_for_user(Visit, request.user, perm="assessments.write_note", pk=visit_pk)
    do_save_note(
        visit, actor=request.user, key=request.POST.get("key", ""), text=request.POST.get("text", "")
    )
    return redirect("assessments:form", visit_pk=visit.pk)
