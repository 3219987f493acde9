"""Conflicts of interest (利益迴避, seed 002 §四(二)): declared by the surveyor, declared by an
institution, and found in the records. Every query that opens an institution to a surveyor, and the
scheduler's input, asks `conflicted_pairs` here, so a conflicted surveyor is never assigned to and
never sees anything of that institution.

Found in the records, within `lookback_years()` (setting PINGJIAN_CONFLICT_LOOKBACK_YEARS, default
3) of today:
- the surveyor worked at or owned the institution (SurveyorHistory): hard, never waived;
- the surveyor worked at or owned another institution whose 負責人 (institutions.OwnerTerm, during
  the surveyor's time there) is, or within the period was, the 負責人 of this one: soft (the same
  name may be another person; the office may waive it with a written reason).

The default of 3 years is our assumption: the seeds say only 遵守利益迴避原則; three years is the
period the ministry's hospital-accreditation surveyors' rules use for past employment, and the
surveyor declaration form has named it since the roster was built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from pingjian.web.core.clock import local_today
from pingjian.web.institutions.models import OwnerTerm

from .models import (
    ConflictOfInterest,
    ConflictReason,
    ConflictSeverity,
    ConflictSide,
    ConflictWaiver,
    HistoryKind,
    SurveyorHistory,
)

DEFAULT_LOOKBACK_YEARS = 3


def lookback_years() -> int:
    return int(getattr(settings, "PINGJIAN_CONFLICT_LOOKBACK_YEARS", DEFAULT_LOOKBACK_YEARS))


def cutoff(today: dt.date) -> dt.date:
    years = lookback_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class Conflict:
    surveyor_id: int
    institution_id: int
    basis: str  # declared:<pk> or history:<pk>:<institution pk>: what a waiver names
    side: str  # ConflictSide
    severity: str  # ConflictSeverity
    description: str
    waived: bool = False

    @property
    def hard(self) -> bool:
        return self.severity == ConflictSeverity.HARD

    @property
    def side_label(self) -> str:
        return str(ConflictSide(self.side).label)

    @property
    def severity_label(self) -> str:
        return str(ConflictSeverity(self.severity).label)


def _declared(surveyor_ids: Iterable[int] | None, institution_ids: Iterable[int] | None) -> list[Conflict]:
    rows = ConflictOfInterest.objects.all()
    if surveyor_ids is not None:
        rows = rows.filter(surveyor_id__in=list(surveyor_ids))
    if institution_ids is not None:
        rows = rows.filter(institution_id__in=list(institution_ids))
    return [
        Conflict(
            row.surveyor_id,
            row.institution_id,
            row.basis,
            row.side,
            row.severity,
            f"{ConflictReason(row.reason_code).label}：{row.reason}",
        )
        for row in rows
    ]


def _found(
    surveyor_ids: Iterable[int] | None, institution_ids: Iterable[int] | None, today: dt.date
) -> list[Conflict]:
    since = cutoff(today)
    history = SurveyorHistory.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=since)
    ).select_related("institution")
    if surveyor_ids is not None:
        history = history.filter(surveyor_id__in=list(surveyor_ids))
    wanted = None if institution_ids is None else set(institution_ids)
    found: list[Conflict] = []
    for row in history:
        relation = HistoryKind(row.kind).label
        place = row.institution
        if wanted is None or place.pk in wanted:
            found.append(
                Conflict(
                    row.surveyor_id,
                    place.pk,
                    f"history:{row.pk}:{place.pk}",
                    ConflictSide.DATA,
                    ConflictSeverity.HARD,
                    f"{lookback_years()}年內曾於{place.name}{relation}",
                )
            )
        # the owners of the place while the surveyor was there …
        until = row.ended_on or today
        owners = set(
            OwnerTerm.objects.filter(institution=place, started_on__lte=until)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=row.started_on))
            .values_list("owner_name", flat=True)
        )
        if not owners:
            continue
        # … and their other institutions, owned now or within the period
        others = (
            OwnerTerm.objects.filter(owner_name__in=owners)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
            .exclude(institution=place)
            .select_related("institution")
        )
        if wanted is not None:
            others = others.filter(institution_id__in=wanted)
        for term in others:
            found.append(
                Conflict(
                    row.surveyor_id,
                    term.institution_id,
                    f"history:{row.pk}:{term.institution_id}",
                    ConflictSide.DATA,
                    ConflictSeverity.SOFT,
                    f"{lookback_years()}年內曾於{place.name}{relation}，"
                    f"該機構負責人{term.owner_name}亦為{term.institution.name}之負責人",
                )
            )
    return found


def conflicts(
    *,
    surveyor_ids: Iterable[int] | None = None,
    institution_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> list[Conflict]:
    """Every conflict (declared and found) among the given surveyors and institutions (None: all),
    each marked waived when the office waived that soft conflict."""
    surveyor_ids = None if surveyor_ids is None else list(surveyor_ids)
    institution_ids = None if institution_ids is None else list(institution_ids)
    today = today or local_today()
    every = {
        c.basis + f"/{c.surveyor_id}": c
        for c in _declared(surveyor_ids, institution_ids) + _found(surveyor_ids, institution_ids, today)
    }
    waivers = ConflictWaiver.objects.all()
    if surveyor_ids is not None:
        waivers = waivers.filter(surveyor_id__in=surveyor_ids)
    waived = set(waivers.values_list("surveyor_id", "institution_id", "basis"))
    result = []
    for c in every.values():
        is_waived = not c.hard and (c.surveyor_id, c.institution_id, c.basis) in waived
        result.append(
            Conflict(c.surveyor_id, c.institution_id, c.basis, c.side, c.severity, c.description, is_waived)
        )
    return sorted(result, key=lambda c: (c.surveyor_id, c.institution_id, c.basis))


def conflicted_pairs(
    *, surveyor_ids: Iterable[int] | None = None, institution_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """(surveyor pk, institution pk) of every conflict not waived."""
    return {
        (c.surveyor_id, c.institution_id)
        for c in conflicts(surveyor_ids=surveyor_ids, institution_ids=institution_ids)
        if not c.waived
    }


_CACHE_ATTR = "_pingjian_conflicted_institutions"


def conflicted_institution_ids(surveyor: object) -> set[int]:
    """The institutions SURVEYOR has an unwaived conflict with. Kept on the user object for the
    rest of its life (in a view: the request), as the memberships and the surveyor's reach are
    (accounts.permissions, visits.permissions): one request's scopes and predicates ask up to
    three times. The actions that declare, waive or record a conflict forget it
    (visits.permissions.forget_surveyor_cache); another day or look-back period reads again."""
    pk = getattr(surveyor, "pk", None)
    if pk is None:
        return set()
    key = (pk, local_today(), lookback_years())  # what the records are read against
    cached = getattr(surveyor, _CACHE_ATTR, None)
    if cached is None or cached[0] != key:
        cached = (key, frozenset(institution for _s, institution in conflicted_pairs(surveyor_ids=[pk])))
        setattr(surveyor, _CACHE_ATTR, cached)
    return set(cached[1])


def forget_conflicts(surveyor: object) -> None:
    if surveyor is not None and hasattr(surveyor, _CACHE_ATTR):
        delattr(surveyor, _CACHE_ATTR)


def refuse_conflicted(
    surveyor: object, institution_id: int | None, message: Callable[[], str], *, code: str | None = None
) -> None:
    """The one refusal of a conflicted surveyor (assigning one to an institution here; seating one
    as a determination-meeting member or appeal re-reviewer in decisions): ValidationError with
    MESSAGE() and CODE when SURVEYOR has an unwaived conflict with the institution. The message is
    made only then (it may need the institution loaded)."""
    if institution_id in conflicted_institution_ids(surveyor):
        raise ValidationError(message(), code=code)
