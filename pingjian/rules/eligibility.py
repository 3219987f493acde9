"""Eligibility (評鑑對象): which institutions must be evaluated in a program's year.

The clauses are data in the program file (``eligibility:``), each naming a predicate of this module
(``rule``) and its arguments (``params``), so next year's evaluation is new data, not new code.
Clauses are tried in the order of the file (the seed's order, 第五點第一款 … 第四款); the first that
applies names the clause. When none applies the reason says why (e.g. a validity reaching beyond
the year).

Readings of seed 002 §五 (postpartum-111), fixed here and tested in tests/rules/test_eligibility*.py:

- 5.1 「評鑑合格有效期間至 111 年 12 月 31 日止」: a pass, not revoked or abolished, whose
  ``valid_until`` is exactly 2022-12-31 (``params.valid_until``).
- 5.2 「新設立或停業後復業，尚未接受評鑑，自開業或復業之日起至 111 年 5 月 31 日止滿 1 年」: the
  start is ``reopened_on`` when given, else ``opened_on``. 自…之日起 counts the start day itself
  (即日起算, 民法第120條第1項 reading), so one year started on 2021-06-01 is complete at the end of
  2022-05-31 (a target) and one started on 2021-06-02 only on 2022-06-01 (not a target). A start on
  29 February completes on 28 February (民法第121條第2項). 「尚未接受評鑑」: no evaluation in or after
  the year of the (re)opening (evaluations carry only their year; one held in the reopening year is
  taken as after the reopening).
- 5.3 「108 年至 110 年間接受評鑑結果為不合格，且 111 年不在評鑑合格效期」: a fail in 2019–2021 and
  no pass (not revoked or abolished) valid on any day of 2022. A pass of year Y is valid from
  1 January of Y+1 to its ``valid_until`` (護理機構評鑑辦法第3條; seed 002 §十三).
- 5.4 「原評鑑合格受撤銷或廢止處分者」: ``revoked`` is true. ``revoked`` means 撤銷 or 廢止 of the
  institution's latest pass; that pass then gives no validity (for 5.1, 5.3 and the reasons).
- The note after §五: an owner change (負責人變更) at the same site changes nothing — the periods
  of all owners are counted together, so failures and validity carry over. ``owner_changes`` are
  read (and checked to be dates) and mentioned in the reason, never used to restart anything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pingjian.rules.errors import PingjianError, ProgramFileError


class EligibilityInputError(PingjianError):
    """The institutions given to the eligibility check are invalid: names the index, id and field."""


# --------------------------------------------------------------------------- dates


def roc(d: dt.date) -> str:
    """``111/05/31``: the one place eligibility formats a date for people."""
    try:
        from pingjian.rules.roc import roc_date

        return roc_date(d)
    except Exception:  # pragma: no cover - the calendar module is another engineer's and may be mid-edit
        return f"{d.year - 1911}/{d.month:02}/{d.day:02}"


def years_completed_on(start: dt.date, years: int) -> dt.date:
    """The last day of a period of YEARS years whose first (counted) day is START.

    民法第121條第2項: it ends on the day before the corresponding day of the last year; when that
    year has no corresponding day (29 February), at the end of February. 2021-06-01 → 2022-05-31.
    """
    year = start.year + years
    if start.month == 2 and start.day == 29 and not _leap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, start.month, start.day) - dt.timedelta(days=1)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Evaluation:
    year: int  # Gregorian year the evaluation was held
    result: Literal["pass", "fail"]
    valid_until: dt.date | None


@dataclass(frozen=True)
class Institution:
    id: str
    opened_on: dt.date
    reopened_on: dt.date | None
    evaluations: tuple[Evaluation, ...]
    revoked: bool  # the latest pass was revoked (撤銷) or abolished (廢止)
    owner_changes: tuple[dt.date, ...]

    @property
    def start(self) -> dt.date:
        """The day the current period of operation began: reopening, else opening."""
        return self.reopened_on or self.opened_on

    @property
    def revoked_pass(self) -> Evaluation | None:
        if not self.revoked:
            return None
        passes = [e for e in self.evaluations if e.result == "pass"]
        return max(passes, key=lambda e: e.year) if passes else None

    @property
    def standing_passes(self) -> list[Evaluation]:
        """Passes that give validity: every pass except a revoked or abolished one."""
        revoked = self.revoked_pass
        return [e for e in self.evaluations if e.result == "pass" and e is not revoked]

    def valid_in_year(self, year: int) -> list[Evaluation]:
        """Standing passes valid on at least one day of YEAR (valid from 1 January after the pass)."""
        return [
            e
            for e in self.standing_passes
            if e.valid_until is not None and e.year + 1 <= year and e.valid_until >= dt.date(year, 1, 1)
        ]


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any, where: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise EligibilityInputError(f"{where}: {field}: expected a date (YYYY-MM-DD), got {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise EligibilityInputError(f"{where}: {field}: not a date (YYYY-MM-DD): {value!r}")


def parse_institutions(data: Any) -> list[Institution]:
    """Read the contract's input (a list of institutions); errors name the index, id and field."""
    if not isinstance(data, list):
        raise EligibilityInputError("institutions: expected a list of institutions")
    result = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        where = f"institutions[{index}]"
        if not isinstance(raw, dict):
            raise EligibilityInputError(f"{where}: expected an object with id, opened_on, evaluations, …")
        ident = raw.get("id")
        if not isinstance(ident, str | int) or isinstance(ident, bool) or str(ident).strip() == "":
            raise EligibilityInputError(f"{where}: id: missing or not a string")
        ident = str(ident)
        where = f"institutions[{index}] (id {ident})"
        if ident in seen:
            raise EligibilityInputError(f"{where}: id: repeated")
        seen.add(ident)
        for field in ("opened_on", "evaluations"):
            if field not in raw:
                raise EligibilityInputError(f"{where}: {field}: missing")
        opened_on = _date(raw["opened_on"], where, "opened_on")
        reopened_raw = raw.get("reopened_on")
        reopened_on = None if reopened_raw is None else _date(reopened_raw, where, "reopened_on")
        if reopened_on is not None and reopened_on <= opened_on:
            raise EligibilityInputError(
                f"{where}: reopened_on: {reopened_on.isoformat()} "
                f"is not after opened_on {opened_on.isoformat()}"
            )
        revoked = raw.get("revoked", False)
        if not isinstance(revoked, bool):
            raise EligibilityInputError(f"{where}: revoked: expected true or false, got {revoked!r}")
        owners_raw = raw.get("owner_changes", [])
        if owners_raw is None:
            owners_raw = []
        if not isinstance(owners_raw, list):
            raise EligibilityInputError(f"{where}: owner_changes: expected a list of dates")
        owner_changes = tuple(_date(v, where, f"owner_changes[{i}]") for i, v in enumerate(owners_raw))
        for i, changed in enumerate(owner_changes):
            if changed < opened_on:
                raise EligibilityInputError(
                    f"{where}: owner_changes[{i}]: {changed.isoformat()} "
                    f"is before opened_on {opened_on.isoformat()}"
                )
        evaluations_raw = raw["evaluations"]
        if evaluations_raw is None:
            evaluations_raw = []
        if not isinstance(evaluations_raw, list):
            raise EligibilityInputError(f"{where}: evaluations: expected a list")
        evaluations = []
        for j, ev in enumerate(evaluations_raw):
            at = f"evaluations[{j}]"
            if not isinstance(ev, dict):
                raise EligibilityInputError(
                    f"{where}: {at}: expected an object with year, result, valid_until"
                )
            if "year" not in ev:
                raise EligibilityInputError(f"{where}: {at}.year: missing")
            year = ev["year"]
            if not isinstance(year, int) or isinstance(year, bool):
                raise EligibilityInputError(f"{where}: {at}.year: expected a Gregorian year, got {year!r}")
            if year < 1912:
                raise EligibilityInputError(
                    f"{where}: {at}.year: {year} is not a Gregorian year (give 2021, not ROC 110)"
                )
            if year < opened_on.year:
                raise EligibilityInputError(
                    f"{where}: {at}.year: {year} is before opened_on {opened_on.isoformat()}"
                )
            if "result" not in ev:
                raise EligibilityInputError(f"{where}: {at}.result: missing")
            outcome = ev["result"]
            if outcome not in ("pass", "fail"):
                raise EligibilityInputError(
                    f"{where}: {at}.result: unknown result {outcome!r} (pass or fail)"
                )
            raw_until = ev.get("valid_until")
            valid_until = None if raw_until is None else _date(raw_until, where, f"{at}.valid_until")
            if outcome == "pass":
                if valid_until is None:
                    raise EligibilityInputError(f"{where}: {at}.valid_until: missing for a pass")
                if valid_until.year <= year:
                    raise EligibilityInputError(
                        f"{where}: {at}.valid_until: {valid_until.isoformat()} ends before the validity of a "
                        f"{year} pass begins ({year + 1}-01-01)"
                    )
            else:
                valid_until = None  # a fail has no validity (seed 002 §十三(二))
            evaluations.append(Evaluation(year=year, result=outcome, valid_until=valid_until))
        result.append(
            Institution(
                id=ident,
                opened_on=opened_on,
                reopened_on=reopened_on,
                evaluations=tuple(evaluations),
                revoked=revoked,
                owner_changes=owner_changes,
            )
        )
    return result


# --------------------------------------------------------------------------- predicates

# A predicate gets the institution and the clause's params; it returns why the clause applies
# (Traditional Chinese), or None when it does not.
Predicate = Callable[[Institution, Mapping[str, Any]], str | None]


def _param_date(params: Mapping[str, Any], name: str) -> dt.date:
    value = params.get(name)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ProgramFileError(f"eligibility params: {name}: expected a date, got {value!r}")


def _param_int(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ProgramFileError(f"eligibility params: {name}: expected an integer, got {value!r}")


def pass_valid_until(inst: Institution, params: Mapping[str, Any]) -> str | None:
    """A standing pass whose validity ends on ``valid_until`` (5.1)."""
    until = _param_date(params, "valid_until")
    for ev in inst.standing_passes:
        if ev.valid_until == until:
            return f"{ev.year - 1911} 年評鑑合格，合格有效期間至 {roc(until)} 止"
    return None


def opened_or_reopened_for(inst: Institution, params: Mapping[str, Any]) -> str | None:
    """New or reopened, not evaluated since, and ``years`` complete by ``by`` (5.2)."""
    years = _param_int(params, "years")
    by = _param_date(params, "by")
    start = inst.start
    if any(ev.year >= start.year for ev in inst.evaluations):
        return None
    completed = years_completed_on(start, years)
    if completed > by:
        return None
    how = "復業" if inst.reopened_on else "開業"
    return (
        f"{how}日 {roc(start)} 起（當日起算）至 {roc(by)} 止滿 {years} 年（{roc(completed)} 屆滿），"
        f"尚未接受評鑑"
    )


def failed_without_validity(inst: Institution, params: Mapping[str, Any]) -> str | None:
    """A fail between two years and no standing validity on any day of a year (5.3)."""
    first = _param_int(params, "failed_from_year")
    last = _param_int(params, "failed_to_year")
    year = _param_int(params, "no_validity_in_year")
    fails = sorted(ev.year for ev in inst.evaluations if ev.result == "fail" and first <= ev.year <= last)
    if not fails or inst.valid_in_year(year):
        return None
    listed = "、".join(f"{y - 1911}" for y in fails)
    return f"{listed} 年評鑑結果不合格，且 {year - 1911} 年不在評鑑合格效期"


def pass_revoked_or_abolished(inst: Institution, params: Mapping[str, Any]) -> str | None:
    """The pass was revoked (撤銷) or abolished (廢止) (5.4)."""
    if not inst.revoked:
        return None
    revoked = inst.revoked_pass
    which = f"{revoked.year - 1911} 年" if revoked else "原"
    return f"{which}評鑑合格受撤銷或廢止處分"


# name -> (predicate, the params it needs)
PREDICATES: dict[str, tuple[Predicate, tuple[str, ...]]] = {
    "pass_valid_until": (pass_valid_until, ("valid_until",)),
    "opened_or_reopened_for": (opened_or_reopened_for, ("years", "by")),
    "failed_without_validity": (
        failed_without_validity,
        ("failed_from_year", "failed_to_year", "no_validity_in_year"),
    ),
    "pass_revoked_or_abolished": (pass_revoked_or_abolished, ()),
}


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Finding:
    id: str
    eligible: bool
    clause: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "eligible": self.eligible, "clause": self.clause, "reason": self.reason}


def _clause_label(clause_id: str) -> str:
    """``5.2`` → 第五點第（二）款."""
    numerals = "〇一二三四五六七八九十"
    point, _, sub = clause_id.partition(".")
    try:
        p = numerals[int(point)] if int(point) <= 10 else point
        s = numerals[int(sub)] if sub and int(sub) <= 10 else sub
    except ValueError:
        return clause_id
    return f"第{p}點第（{s}）款" if sub else f"第{p}點"


def _owner_note(inst: Institution) -> str:
    if not inst.owner_changes:
        return ""
    dates = "、".join(roc(d) for d in inst.owner_changes)
    return f"；負責人變更（{dates}）不影響：同一場所連續經營期間合併計算（§五 註）"


def _why_not(inst: Institution, program: Any) -> str:
    year = int(program.version) + 1911
    params_by_rule = {c.rule: c.params for c in program.eligibility}
    beyond = [
        ev for ev in inst.valid_in_year(year) if ev.valid_until and ev.valid_until > dt.date(year, 12, 31)
    ]
    if beyond:
        until = max(ev.valid_until for ev in beyond if ev.valid_until)
        return f"評鑑合格效期至 {roc(until)}，本年度非評鑑對象"
    if "opened_or_reopened_for" in params_by_rule:
        params = params_by_rule["opened_or_reopened_for"]
        start = inst.start
        if not any(ev.year >= start.year for ev in inst.evaluations):
            years = _param_int(params, "years")
            by = _param_date(params, "by")
            completed = years_completed_on(start, years)
            how = "復業" if inst.reopened_on else "開業"
            return (
                f"{how}日 {roc(start)} 起至 {roc(by)} 止未滿 {years} 年（{roc(completed)} 始屆滿），"
                f"本年度非評鑑對象"
            )
    valid = inst.valid_in_year(year)
    if valid:
        until = max(ev.valid_until for ev in valid if ev.valid_until)
        return f"評鑑合格效期至 {roc(until)}，不符合第五點各款，本年度非評鑑對象"
    if inst.evaluations:
        last = max(inst.evaluations, key=lambda e: e.year)
        word = "合格" if last.result == "pass" else "不合格"
        return f"最近一次評鑑為 {last.year - 1911} 年{word}，不符合第五點各款，本年度非評鑑對象"
    return "不符合第五點各款，本年度非評鑑對象"


def check(program: Any, institution: Institution) -> Finding:
    """Try the program's eligibility clauses in order; the first that applies names the clause."""
    for clause in program.eligibility:
        predicate, _ = PREDICATES[clause.rule]
        why = predicate(institution, clause.params)
        if why is not None:
            reason = f"符合{_clause_label(clause.id)}（{clause.id}）：{why}{_owner_note(institution)}"
            return Finding(institution.id, True, clause.id, reason)
    return Finding(institution.id, False, None, _why_not(institution, program) + _owner_note(institution))


def check_all(program: Any, data: Any) -> list[Finding]:
    """The contract's eligibility: one finding per institution, in input order."""
    if not getattr(program, "eligibility", None):
        raise EligibilityInputError(f"program {program.id}: defines no eligibility clauses")
    institutions = parse_institutions(data)
    return [check(program, inst) for inst in institutions]


def check_params(clauses: Sequence[Any]) -> None:
    """Every clause names a known predicate and gives the params it needs (used by the schema)."""
    for clause in clauses:
        if clause.rule not in PREDICATES:
            raise ValueError(
                f"eligibility {clause.id}: unknown rule {clause.rule!r} "
                f"(known: {', '.join(sorted(PREDICATES))})"
            )
        missing = [p for p in PREDICATES[clause.rule][1] if p not in clause.params]
        if missing:
            raise ValueError(f"eligibility {clause.id}: rule {clause.rule} needs params {missing}")
