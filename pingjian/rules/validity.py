"""Validity periods (合格效期 / 認證效期) of evaluation results, and what ends or extends them.

Pure functions over frozen dataclasses: nothing here reads a clock or a database. A period is
the inclusive range ``start`` … ``end``; its status on a date is one of ``valid``, ``expired``,
``revoked``, ``abolished`` or ``none`` (no validity in force: a fail, or a date before the start).

- JCT certifications (``aesthetic-clinic-112``, ``cell-therapy-clinic-112``): 3 years from the
  decision date (seed 000, 「認證效期：通過者3年」).
- Postpartum (``postpartum-111``): 護理機構評鑑辦法第3條、第4條 as seed 002 §十三 applies them:
  from 1 January of the year after the result, for the years of the program file's
  ``validity.steps`` (4 after no failure … 1 after ≥3 consecutive failures). The seed states only
  the longest (4) and the shortest (1); the 3- and 2-year steps are marked ``assumed`` in the file
  and :func:`validity_basis` says so in words; a fail has no validity.
- 撤銷 (revocation, seed 002 §十四(二)): the result is void from the start.
- 廢止 (abolition, seed 002 §十四(一)): the validity ends from the effective date.
- A cohort extension (e.g. MOHW's COVID-19 extensions) moves the end of every period of one
  program and result year.
"""

from __future__ import annotations

import calendar as _gregorian
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pingjian.rules.errors import PingjianError
from pingjian.rules.program_schema import Program, ValidityStep
from pingjian.rules.programs import load_program
from pingjian.rules.roc import roc_date_long

Status = Literal["valid", "expired", "revoked", "abolished", "none"]

JCT_PROGRAMS = ("aesthetic-clinic-112", "cell-therapy-clinic-112")
JCT_VALIDITY_YEARS = 3
JCT_REFERENCE = "seed 000 醫策會品質認證「認證效期：通過者3年」"

POSTPARTUM_REFERENCE = "護理機構評鑑辦法第3條、第4條；seed 002 §十三"
REVOCATION_REFERENCE = "seed 002 §十四(二)（撤銷：自始無效）"
ABOLITION_REFERENCE = "seed 002 §十四(一)（廢止：自廢止生效日起失效）"


class ValidityError(PingjianError):
    """A validity computation got impossible input: names the period, field and value."""


@dataclass(frozen=True)
class AppliedExtension:
    """An extension as applied to one period: the end before and after."""

    previous_end: date
    new_end: date
    reason: str
    reference: str


@dataclass(frozen=True)
class ValidityPeriod:
    """The validity of one institution's result in one program (inclusive start … end)."""

    program: str
    institution: str
    result_year: int  # Gregorian year of the result: the cohort an extension selects
    start: date
    end: date
    reference: str
    revoked_on: date | None = None  # 撤銷 decision date: void from the start
    revocation_reason: str = ""
    abolished_from: date | None = None  # 廢止 effective date: not valid from this day on
    abolition_reason: str = ""
    extensions: tuple[AppliedExtension, ...] = ()

    @property
    def effective_end(self) -> date | None:
        """The last day the period is (or was) valid; None when revoked (never valid)."""
        if self.revoked_on is not None:
            return None
        if self.abolished_from is not None and self.abolished_from <= self.end:
            return self.abolished_from - timedelta(days=1)
        return self.end

    def describe(self) -> str:
        """``有效期間自112年1月1日起至115年12月31日止`` (plus 撤銷/廢止 when they apply)."""
        text = f"有效期間自{roc_date_long(self.start)}起至{roc_date_long(self.end)}止"
        if self.revoked_on is not None:
            text += f"；已於{roc_date_long(self.revoked_on)}撤銷，自始無效"
        elif self.abolished_from is not None:
            text += f"；已廢止，自{roc_date_long(self.abolished_from)}起失效"
        return text


@dataclass(frozen=True)
class CohortExtension:
    """An administrator's extension of every period of PROGRAM with result year RESULT_YEAR.

    Exactly one of NEW_END (the new last day) or MONTHS (+N months) is given.
    """

    program: str
    result_year: int
    reason: str
    reference: str
    new_end: date | None = None
    months: int | None = None

    def __post_init__(self) -> None:
        if (self.new_end is None) == (self.months is None):
            raise ValidityError(
                f"extension of {self.program} {self.result_year}: give exactly one of new_end or months"
            )
        if self.months is not None and self.months < 1:
            raise ValidityError(
                f"extension of {self.program} {self.result_year}: "
                f"months must be at least 1, got {self.months}"
            )

    def selects(self, period: ValidityPeriod) -> bool:
        """True for periods of this cohort (same program and result year)."""
        return period.program == self.program and period.result_year == self.result_year


def period_end(first_day: date, months: int) -> date:
    """Last day of a period of MONTHS months whose first (counted) day is FIRST_DAY.

    民法第121條 II: the day before the corresponding day of the last month; when the last month
    has no corresponding day, the last day of that month. 112-09-15, 36 months → 115-09-14;
    113-02-29, 36 months → 116-02-28; 113-01-31, 1 month → 113-02-29.
    """
    index = first_day.year * 12 + (first_day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _gregorian.monthrange(year, month0 + 1)[1]
    if first_day.day > last:
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, first_day.day) - timedelta(days=1)


def jct_validity(
    program: str, institution: str, decided_on: date, *, years: int = JCT_VALIDITY_YEARS
) -> ValidityPeriod:
    """Validity of a passed JCT certification: 3 years from the decision date (seed 000).

    Reading: the certificate is valid from the decision date itself (that day counted), and
    3 years end on the day before the same date 3 years later — decision 112-09-15 → valid
    112-09-15 … 115-09-14; a decision on 29 February ends on 28 February (民法第121條 II).
    """
    if program not in JCT_PROGRAMS:
        raise ValidityError(f"program {program!r} is not a JCT certification ({', '.join(JCT_PROGRAMS)})")
    return ValidityPeriod(
        program=program,
        institution=institution,
        result_year=decided_on.year,
        start=decided_on,
        end=period_end(decided_on, 12 * years),
        reference=JCT_REFERENCE,
    )


def validity_steps(program: str = "postpartum-111") -> list[ValidityStep]:
    """The program file's ``validity.steps`` (years by consecutive failures before the pass)."""
    loaded = load_program(program)
    if not isinstance(loaded, Program) or loaded.validity is None or not loaded.validity.steps:
        raise ValidityError(f"program {program!r} states no validity steps (validity.steps)")
    return list(loaded.validity.steps)


def postpartum_step(consecutive_failures_before: int, program: str = "postpartum-111") -> ValidityStep:
    """The validity step of a postpartum pass after that many consecutive failures (≥ the last
    step's count → the last step)."""
    if consecutive_failures_before < 0:
        raise ValidityError(
            f"consecutive failures before the pass must not be negative, got {consecutive_failures_before}"
        )
    steps = validity_steps(program)
    return steps[min(consecutive_failures_before, len(steps) - 1)]


def postpartum_years(consecutive_failures_before: int, program: str = "postpartum-111") -> int:
    """Years of validity of a postpartum pass after that many consecutive failures (4/3/2/1)."""
    return postpartum_step(consecutive_failures_before, program).years


def postpartum_validity(
    institution: str,
    result_year: int,
    passed: bool,
    consecutive_failures_before: int = 0,
    program: str = "postpartum-111",
) -> ValidityPeriod | None:
    """Validity of a postpartum evaluation result (護理機構評鑑辦法第3條、第4條; seed 002 §十三).

    A pass in RESULT_YEAR is valid from 1 January of the next year for 4 years (111 pass →
    112-01-01 … 115-12-31); after 1, 2 or ≥3 consecutive failures immediately before it, for
    3, 2 or 1 years. A fail has no validity (§十三(二)): None.
    """
    if not passed:
        return None
    years = postpartum_years(consecutive_failures_before, program)
    return ValidityPeriod(
        program=program,
        institution=institution,
        result_year=result_year,
        start=date(result_year + 1, 1, 1),
        end=date(result_year + years, 12, 31),
        reference=POSTPARTUM_REFERENCE,
    )


def revoke(period: ValidityPeriod, decided_on: date, reason: str = "") -> ValidityPeriod:
    """撤銷: the result is void from the start (seed 002 §十四(二), e.g. false documents)."""
    return dataclasses.replace(period, revoked_on=decided_on, revocation_reason=reason)


def abolish(period: ValidityPeriod, effective_from: date, reason: str = "") -> ValidityPeriod:
    """廢止: the validity ends from EFFECTIVE_FROM on (seed 002 §十四(一)); it was valid before.

    Abolishing an already abolished period keeps the earlier effective date.
    """
    if period.abolished_from is not None and period.abolished_from <= effective_from:
        return period
    return dataclasses.replace(period, abolished_from=effective_from, abolition_reason=reason)


def extend(period: ValidityPeriod, extension: CohortExtension) -> ValidityPeriod:
    """PERIOD with EXTENSION applied (whether or not it selects it — see :func:`apply_extension`).

    +N months keeps month ends: an end of 111-12-31 + 12 months → 112-12-31. A new end that
    is not later than the current end is an error (that would shorten, not extend).
    """
    if extension.new_end is not None:
        new_end = extension.new_end
    else:
        assert extension.months is not None  # __post_init__ guarantees one of them
        new_end = period_end(period.end + timedelta(days=1), extension.months)
    if new_end <= period.end:
        raise ValidityError(
            f"extension of {period.program} {period.result_year} for {period.institution}: "
            f"new end {new_end.isoformat()} is not after the current end {period.end.isoformat()}"
        )
    applied = AppliedExtension(period.end, new_end, extension.reason, extension.reference)
    return dataclasses.replace(period, end=new_end, extensions=(*period.extensions, applied))


def apply_extension(periods: Iterable[ValidityPeriod], extension: CohortExtension) -> list[ValidityPeriod]:
    """Every period, with EXTENSION applied to those of its cohort (program + result year).

    Revoked periods are left as they are (void from the start, nothing to extend); abolished
    ones are extended in the record, but the abolition still ends them (see ``effective_end``).
    """
    return [
        extend(period, extension) if extension.selects(period) and period.revoked_on is None else period
        for period in periods
    ]


def status_on(period: ValidityPeriod | None, on: date) -> Status:
    """The status of PERIOD on the date ON.

    - ``none``: no period (a fail), or ON before the start;
    - ``revoked``: revoked — void from the start, so on every date from the start on, even dates
      before the revocation decision (seen today, it never was valid);
    - ``abolished``: ON is on or after the abolition's effective date;
    - ``expired``: ON is after the end (extensions included);
    - ``valid``: otherwise.
    """
    if period is None or on < period.start:
        return "none"
    if period.revoked_on is not None:
        return "revoked"
    if period.abolished_from is not None and on >= period.abolished_from:
        return "abolished"
    if on > period.end:
        return "expired"
    return "valid"


@dataclass(frozen=True)
class ValidityBasis:
    """Why a period is as long as it is, in words a person reads on a result page.

    ``stated`` is what the program's own text states (e.g. 最長4年、最短1年) with its reference;
    ``assumption`` is set when the length is our assumption, pending an administrator.
    """

    program: str
    years: int | None  # None: the program states no validity period
    assumed: bool
    reference: str
    assumption: str
    stated: tuple[tuple[int, str], ...]  # (years, reference) of every step the seed states


def validity_basis(program: str, start: date, end: date | None) -> ValidityBasis | None:
    """The basis of a published period START … END of PROGRAM, or None when there is nothing to
    say (an unknown program, a rule without steps, a length no step gives — e.g. after an extension).

    A program whose file states no validity gives a basis with ``years=None``: the page says the
    program states none rather than inventing one.
    """
    try:
        loaded = load_program(program)
    except PingjianError:
        return None
    if not isinstance(loaded, Program):
        return None
    if loaded.validity is None:
        return ValidityBasis(program, None, False, "", "", ())
    steps = loaded.validity.steps
    if not steps or end is None:
        return None
    stated = tuple((s.years, s.reference or "") for s in loaded.validity.stated_steps)
    if start.month != 1 or start.day != 1 or (end.month, end.day) != (12, 31):
        return None
    years = end.year - start.year + 1
    for step in steps:
        if step.years == years:
            return ValidityBasis(
                program, years, step.assumed, step.reference or "", step.assumption or "", stated
            )
    return None


def program_validity(
    program: str,
    institution: str,
    decided_on: date,
    *,
    passed: bool = True,
    consecutive_failures_before: int = 0,
) -> tuple[date, date | None] | None:
    """The validity a decision of PROGRAM on DECIDED_ON gives, as (first day, last day), by the
    rule the program file names: ``jct_validity`` (3 years from the decision), ``postpartum_validity``
    (from 1 January after the result year, the file's steps). A program whose file states no
    validity gives (DECIDED_ON, None): valid from the decision, no end that the seed states. A fail
    gives None.
    """
    if not passed:
        return None
    loaded = load_program(program)
    rule = loaded.validity.rule if isinstance(loaded, Program) and loaded.validity else None
    if rule is None:
        return decided_on, None
    if rule == "jct_validity":
        period = jct_validity(program, institution, decided_on)
    elif rule == "postpartum_validity":
        found = postpartum_validity(
            institution, loaded.version + 1911, True, consecutive_failures_before, program=program
        )
        assert found is not None  # a pass always has a period
        period = found
    else:
        raise ValidityError(f"program {program!r}: unknown validity rule {rule!r}")
    return period.start, period.end
