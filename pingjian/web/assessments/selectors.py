"""What pages and other apps read of on-site scoring."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingjian.rules.program_params import (
    changed_parameters,
    parameter_labels,
    program_parameters,
    with_parameters,
)
from pingjian.rules.program_schema import Program
from pingjian.rules.scoring import round_half_up

from .actions import computed_for, entry_json, missing_pledge_year, pledge_message
from .error_codes import AssessmentErrorCode
from .models import Assessment, Kind, SurveyorNote
from .scoring import compute, program_of


def assessment_of(visit: Any) -> Assessment | None:
    return Assessment.objects.filter(visit=visit).first()


def pledge_required(visit: Any, user: Any) -> dict[str, Any] | None:
    """What refuses USER's entries on VISIT before they type one: a surveyor without the pledge
    of the visit's program year (seed 002 §四(二)) gets {program_year, code, error}; else None."""
    year = missing_pledge_year(user, visit)
    if year is None:
        return None
    return {
        "program_year": year,
        "code": str(AssessmentErrorCode.CONFIDENTIALITY_REQUIRED),
        "error": pledge_message(year),
    }


def scoring_state(visit: Any, user: Any) -> dict[str, Any]:
    """The team's view: consensus and the user's own entries, the rules core's result so far, and
    (`confidentiality_required`) why the user may not enter any yet."""
    assessment = assessment_of(visit)
    entries = [] if assessment is None else list(assessment.entries.select_related("updated_by"))
    return {
        "confidentiality_required": pledge_required(visit, user),
        "visit": visit.pk,
        "state": Assessment.State.OPEN if assessment is None else assessment.state,
        "consensus": [entry_json(e) for e in entries if e.kind == Kind.CONSENSUS],
        "mine": [entry_json(e) for e in entries if e.kind == Kind.MEMBER and e.surveyor_id == user.pk],
        "computed": computed_for(assessment, visit).to_json(),
    }


def notes_of(visit: Any, user: Any) -> dict[str, str]:
    return dict(SurveyorNote.objects.filter(visit=visit, surveyor=user).values_list("key", "text"))


def opinion_of(visit: Any) -> Any:
    from .models import Opinion

    return Opinion.objects.filter(visit=visit).first()


def opinion_json(opinion: Any, *, entries: bool = True) -> dict[str, Any]:
    """An opinion over the API: its state and review, and (unless listed) its entries."""
    application = opinion.visit.application
    out: dict[str, Any] = {
        "id": opinion.pk,
        "visit": opinion.visit_id,
        "application": application.pk,
        "institution": application.institution.name,
        "state": opinion.state,
        "state_label": opinion.get_state_display(),
        "submitted_at": opinion.submitted_at.isoformat() if opinion.submitted_at else None,
        "approved_at": opinion.approved_at.isoformat() if opinion.approved_at else None,
        "returned_reason": opinion.returned_reason,
    }
    if entries:
        out["entries"] = [
            {"key": e.key, "strengths": e.strengths, "recommendations": e.recommendations}
            for e in opinion.entries.order_by("key")
        ]
    return out


def opinions_document(opinion: Any) -> dict[str, Any]:
    """What the 評鑑意見書 says, for the documents app (it reads assessments only through here):
    the overall opinion and each criterion's, in the program's order, the criteria without any
    opinion left out; with the assessment's total and result when the team submitted."""
    from .models import OVERALL
    from .scoring import program_of

    program = program_of(opinion.visit)
    entries = {e.key: e for e in opinion.entries.all()}
    criteria = [
        {"id": item.id, "title": item.title, "strengths": e.strengths, "recommendations": e.recommendations}
        for item in program.items
        if (e := entries.get(item.id)) is not None and (e.strengths or e.recommendations)
    ]
    overall = entries.get(OVERALL)
    assessment = assessment_of(opinion.visit)
    return {
        "opinion": opinion,
        "program": program,
        "overall": overall,
        "criteria": criteria,
        "assessment": assessment if assessment is not None and assessment.submitted else None,
    }


# ------------------------------------------------------ the office's charts and what-if (issue 15)


def _submitted(user: Any) -> Any:
    return (
        Assessment.objects.visible_to(user)
        .filter(state=Assessment.State.SUBMITTED)
        .select_related(
            "visit__application__institution",
            "visit__application__cycle",
            "visit__application__program_version",
        )
        .prefetch_related("entries")
        .order_by("visit__application__cycle_id", "visit__application__institution__code")
    )


def _consensus(assessment: Assessment) -> dict[str, Any]:
    return {e.key: e.value for e in assessment.entries.all() if e.kind == Kind.CONSENSUS}


def scored_programs(user: Any) -> list[tuple[str, str]]:
    """(program id, title) of the programs with submitted assessments USER may see."""
    seen: dict[str, str] = {}
    for a in _submitted(user):
        version = a.visit.application.program_version
        seen.setdefault(version.program_id, version.title)
    return sorted(seen.items())


@dataclass(frozen=True)
class LossCell:
    lost: Decimal  # mean points lost per institution the criterion applied to (max − given)
    count: int  # institutions it applied to


@dataclass(frozen=True)
class PointsLost:
    program_id: str
    criteria: list[tuple[str, str]]  # (item id, title) in the program's order
    cycles: list[tuple[int, str]]
    cells: dict[tuple[str, int], LossCell]


def points_lost(user: Any, program_id: str) -> PointsLost:
    """Per criterion and cycle, the mean points institutions lost on it (its max − the points the
    rules core gives the team's stored consensus entries), over the submitted assessments of
    PROGRAM_ID that USER may see; exempt and not applicable criteria are left out of the mean."""
    sums: dict[tuple[str, int], tuple[Fraction, int]] = {}
    cycles: dict[int, str] = {}
    criteria: dict[str, str] = {}
    for a in _submitted(user).filter(visit__application__program_version__program_id=program_id):
        application = a.visit.application
        program = program_of(a.visit)
        computed = compute(program, a.visit, _consensus(a))
        if computed.result is None:
            continue
        cycles[application.cycle_id] = application.cycle.title
        for item in program.items:
            criteria.setdefault(item.id, item.title)
            given = computed.result.items[item.id].points
            if given is None:
                continue
            total, n = sums.get((item.id, application.cycle_id), (Fraction(0), 0))
            sums[(item.id, application.cycle_id)] = (total + Fraction(item.max_points) - given, n + 1)
    cells = {key: LossCell(round_half_up(total / n, 2), n) for key, (total, n) in sums.items()}
    return PointsLost(program_id, list(criteria.items()), sorted(cycles.items()), cells)


def scored_cycles(user: Any) -> list[tuple[Any, int]]:
    """(cycle, submitted assessments) for every cycle with submitted assessments USER may see."""
    found: dict[int, tuple[Any, int]] = {}
    for a in _submitted(user):
        cycle = a.visit.application.cycle
        found[cycle.pk] = (cycle, found.get(cycle.pk, (cycle, 0))[1] + 1)
    return sorted(found.values(), key=lambda row: -row[0].pk)


@dataclass(frozen=True)
class WhatIfRow:
    application_id: int
    institution: str
    code: str
    stored_total: Decimal | None
    stored_result: str
    total: Decimal
    result: str


@dataclass(frozen=True)
class WhatIf:
    parameters: dict[str, tuple[str, Decimal, Decimal]]  # name: (its words, in force, changed)
    compared: int
    totals_changed: int
    changed: list[WhatIfRow]  # the institutions whose result would change


def cycle_parameters(cycle: Any) -> dict[str, tuple[str, Decimal]]:
    """{name: (label, value in force)} of the what-if parameters of CYCLE's program version."""
    program = cycle.program_version.program()
    if not isinstance(program, Program):
        return {}
    values = program_parameters(program)
    return {name: (label, values[name]) for name, label in parameter_labels(program).items()}


def _described(program: Program, changed: Program) -> dict[str, tuple[str, Decimal, Decimal]]:
    labels = parameter_labels(program)
    return {name: (labels[name], *values) for name, values in changed_parameters(program, changed).items()}


def what_if(user: Any, cycle: Any, changes: dict[str, str]) -> WhatIf:
    """Score every submitted assessment of CYCLE (that USER may see) again with CHANGES to its
    program's parameters (`pingjian.rules.program_params`), by the rules core on the stored
    consensus entries, and compare with the stored total and result. Reads only: nothing stored
    changes. Raises ParameterError naming a bad parameter."""
    changed: list[WhatIfRow] = []
    compared = totals_changed = 0
    programs: dict[int, Program] = {}
    parameters: dict[str, tuple[str, Decimal, Decimal]] = {}
    for a in _submitted(user).filter(visit__application__cycle=cycle):
        application = a.visit.application
        version = application.program_version_id
        if version not in programs:
            base = program_of(a.visit)
            programs[version] = with_parameters(base, changes)
            parameters.update(_described(base, programs[version]))
        computed = compute(programs[version], a.visit, _consensus(a))
        if computed.result is None:
            continue
        compared += 1
        new = computed.result
        totals_changed += new.total != a.total
        if new.result != a.result:
            institution = application.institution
            changed.append(
                WhatIfRow(
                    application.pk,
                    institution.name,
                    institution.code,
                    a.total,
                    a.result,
                    new.total,
                    new.result,
                )
            )
    if not programs:  # nothing scored: still check the changes against the cycle's program
        program = cycle.program_version.program()
        if isinstance(program, Program):
            parameters = _described(program, with_parameters(program, changes))
    return WhatIf(parameters, compared, totals_changed, changed)


def submitted_assessment_of(application: Any) -> Assessment | None:
    """The team's submitted assessment of APPLICATION's visit (its total, result and trace are the
    rules core's on the application's pinned program version), or None."""
    return Assessment.objects.filter(visit__application=application, state=Assessment.State.SUBMITTED).first()
