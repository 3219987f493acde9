"""The `dental-south-113` program file (牙醫南區輔導要點): schema, loading and parameter overrides.

Framework-free: pydantic and PyYAML only. A bad file raises `ProgramFileError` naming the file,
the path inside it and what is wrong. Parameters are overridable (`--param NAME=VALUE`); the
values in force are returned by `DentalProgram.parameter_values()` and recorded with each run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.program_yaml import parse_yaml

DEFAULT_PROGRAM_PATH = Path(__file__).resolve().parent.parent / "programs" / "dental-south-113.yaml"

ParamValue = int | str | list[int] | list[str]

# The ids of the indicators seed 004 numbers (s1 … s29); the program's others have names.
SEED_NUMBERED_INDICATOR = re.compile(r"s[0-9]+")

# name -> expected shape of the value; the engine relies on each of these.
REQUIRED_PARAMETERS: dict[str, str] = {
    "region": "str",
    "new_clinic_cap": "int",
    "new_clinic_days": "int",
    "new_clinic_over_bands": "int3",
    "oral_exam_codes": "strs",
    "child_age_max": "int",
    "od_892_deduction": "int",
    "refill_window_short": "int",
    "refill_window_long": "int",
    "rescaling_window": "int",
    "extraction_window": "int",
    "endo_retreat_window": "int",
    "s1_low": "int",
    "s1_high": "int",
    "s25_low": "int",
    "s25_mid": "int",
    "s25_high": "int",
    "scaling_ratio_min": "int",
    "pr_general_band": "int2",
    "pr_s21_min": "int",
    "pr_top_band": "int2",
    "pr_key_bands": "int6",
    "pr_oral_exam_bands": "int6",
    "cross_region_mid": "int",
    "cross_region_high": "int",
    "cross_region_points": "int2",
    "cross_region_caps": "int2",
    "exclusion_sessions": "int",
    "exclusion_s1_max": "int",
    "od_teeth_pr_min": "int",
    "od_low_withheld": "strs",
    "outreach_high": "int",
    "outreach_deductions": "int2",
    "reference_price_high": "int",
    "reference_price_low": "int",
    "reference_s25": "int",
    "unimproved_points": "int",
    "pr_method": "str",
    "period_divisors": "int3",
    "specialist_share_min": "int",
    "specialist_os_codes": "patterns",
    "specialist_peri_codes": "patterns",
    "specialist_endo_codes": "patterns",
    "specialist_pedo_codes": "patterns",
    "specialist_pedo_age_max": "int",
    "specialist_disabled_codes": "patterns",
    "auto_repayment_points": "int",
    "auto_repayment_from": "month",
}

PR_METHODS = ("cume_dist_floor",)

# Indicators every dental program must define whatever its rules name: s1, s25, s27, oral_exam,
# avg_case_points and od_teeth are read by id (三.3–三.5, 四.5, 十, 十二); s2, s3, s5 and s7 have
# been required since the first program file. The indicators a rule ranks are named in the file.
ENGINE_INDICATORS = ("s1", "s2", "s3", "s5", "s7", "s25", "s27", "oral_exam", "avg_case_points", "od_teeth")

MeasureKind = Literal[
    "sum_points",
    "count_lines",
    "sum_surfaces",
    "count_cases",
    "count_patients",
    "count_cases_only",
    "doctor_month_max_points",
    "history_repeat",
    "patient_repeat_cases",
    "prior_points_sum",
]

RuleKind = Literal[
    "pr_bands",
    "new_clinic",
    "s25_s1",
    "scaling_s1",
    "cross_region",
    "unimproved",
    "outreach_deduction",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    value: ParamValue
    reference: str = Field(min_length=1)
    description: str = ""


class CodeSet(_Strict):
    """Order codes given as a full-match pattern, a list, the name of a list parameter (codes), or
    the name of a list parameter of full-match patterns (`patterns_param`; empty = no code)."""

    pattern: str | None = None
    codes: list[str] | None = None
    param: str | None = None
    patterns_param: str | None = None
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_source(self) -> CodeSet:
        given = [x for x in (self.pattern, self.codes, self.param, self.patterns_param) if x is not None]
        if len(given) != 1:
            raise ValueError("a code set has exactly one of pattern, codes, param, patterns_param")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"bad pattern {self.pattern!r}: {exc}") from exc
        return self


class Measure(_Strict):
    kind: MeasureKind
    codes: list[str] = []
    exclude_codes: list[str] = []
    history_codes: list[str] = []
    window: str | None = None
    outcome: Literal["same", "other"] | None = None
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _shape(self) -> Measure:
        windowed = self.kind in ("history_repeat", "patient_repeat_cases", "prior_points_sum")
        if windowed and self.window is None:
            raise ValueError(f"a {self.kind} measure needs `window` (a parameter name)")
        if self.kind == "history_repeat" and self.outcome is None:
            raise ValueError("a history_repeat measure needs `outcome: same|other`")
        needs_codes = ("history_repeat", "patient_repeat_cases", "prior_points_sum", "count_cases_only")
        if self.kind in needs_codes and not self.codes:
            raise ValueError(f"a {self.kind} measure needs `codes`")
        return self


class Indicator(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    title_en: str = ""
    group: Literal["general", "key", "monitoring"]
    numerator: list[str] = []
    denominator: list[str] = []
    scale: int = 1
    derived: Literal["new_clinic_excess", "cross_region_max"] | None = None
    reference: str = Field(min_length=1)
    assumption: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Indicator:
        if self.derived is None and not self.numerator:
            raise ValueError("an indicator needs a numerator or `derived`")
        if self.scale not in (1, 100):
            raise ValueError("scale is 1 or 100")
        return self

    @property
    def numerator_terms(self) -> list[tuple[int, str]]:
        return [_term(t) for t in self.numerator]

    @property
    def denominator_terms(self) -> list[tuple[int, str]]:
        return [_term(t) for t in self.denominator]


def _term(text: str) -> tuple[int, str]:
    return (-1, text[1:]) if text.startswith("-") else (1, text)


class Band(_Strict):
    band: str | None = None
    index: int = 0
    min_param: str | None = None
    points: int


class Rule(_Strict):
    id: str = Field(pattern=r"^r[0-9_]+$")
    title: str = Field(min_length=1)
    kind: RuleKind
    indicators: list[str] = []
    bands: list[Band] = []
    points: int | list[int] | None = None
    reference: str = Field(min_length=1)


class Exclusion(_Strict):
    id: str
    title: str
    reference: str = Field(min_length=1)


class ReferenceFlag(_Strict):
    id: str
    flag: str
    title: str
    reference: str = Field(min_length=1)


class Specialty(_Strict):
    """One specialty of 十三 (OS, Peri, Endo, Pedo, 身障): its code set, and for Pedo the
    parameter that limits the patient's age."""

    id: str = Field(pattern=r"^[a-z]+$")
    title: str = Field(min_length=1)
    code_set: str
    age_max_param: str | None = None
    reference: str = Field(min_length=1)


class ActionText(_Strict):
    title: str = Field(min_length=1)
    reference: str = Field(min_length=1)


class Level(_Strict):
    level: int
    min_points: int
    action: str
    reference: str = Field(min_length=1)


class DentalProgram(_Strict):
    id: str
    kind: Literal["dental"]
    title: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    version: int
    effective_from: date
    reference: str = Field(min_length=1)
    parameters: dict[str, Parameter]
    code_sets: dict[str, CodeSet]
    measures: dict[str, Measure]
    indicators: list[Indicator]
    rules: list[Rule]
    exclusions: list[Exclusion]
    reference_flag: ReferenceFlag
    levels: list[Level]
    specialties: list[Specialty]
    actions: dict[Literal["cross_region_specialist", "auto_repayment", "non_cooperation"], ActionText]

    @model_validator(mode="after")
    def _cross_references(self) -> DentalProgram:
        for name, shape in REQUIRED_PARAMETERS.items():
            if name not in self.parameters:
                raise ValueError(f"parameters.{name}: missing")
            problem = _shape_problem(self.parameters[name].value, shape)
            if problem:
                raise ValueError(f"parameters.{name}: {problem}")
        for name, cs in self.code_sets.items():
            if cs.param is not None and cs.param not in self.parameters:
                raise ValueError(f"code_sets.{name}.param: unknown parameter {cs.param!r}")
            if cs.patterns_param is not None:
                if cs.patterns_param not in self.parameters:
                    raise ValueError(
                        f"code_sets.{name}.patterns_param: unknown parameter {cs.patterns_param!r}"
                    )
                problem = _shape_problem(self.parameters[cs.patterns_param].value, "patterns")
                if problem:
                    raise ValueError(f"parameters.{cs.patterns_param}: {problem}")
        for i, sp in enumerate(self.specialties):
            if sp.code_set not in self.code_sets:
                raise ValueError(f"specialties[{i}].code_set: unknown code set {sp.code_set!r}")
            if sp.age_max_param is not None and sp.age_max_param not in self.parameters:
                raise ValueError(f"specialties[{i}].age_max_param: unknown parameter {sp.age_max_param!r}")
        if len({sp.id for sp in self.specialties}) != len(self.specialties):
            raise ValueError("specialties: duplicate id")
        if set(self.actions) != {"cross_region_specialist", "auto_repayment", "non_cooperation"}:
            raise ValueError("actions: needs cross_region_specialist, auto_repayment and non_cooperation")
        for name, m in self.measures.items():
            for field in ("codes", "exclude_codes", "history_codes"):
                for c in getattr(m, field):
                    if c not in self.code_sets:
                        raise ValueError(f"measures.{name}.{field}: unknown code set {c!r}")
            if m.window is not None and m.window not in self.parameters:
                raise ValueError(f"measures.{name}.window: unknown parameter {m.window!r}")
        ids: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id in ids:
                raise ValueError(f"indicators[{i}].id: duplicate {ind.id!r}")
            ids.add(ind.id)
            for field in ("numerator", "denominator"):
                for _sign, term in getattr(ind, f"{field}_terms"):
                    if term not in self.measures:
                        raise ValueError(f"indicators[{i}].{field}: unknown measure {term!r}")
        for needed in ENGINE_INDICATORS:
            if needed not in ids:
                raise ValueError(f"indicators: missing {needed!r}")
        for i, rule in enumerate(self.rules):
            for ind_id in rule.indicators:
                if ind_id not in ids:
                    raise ValueError(f"rules[{i}].indicators: unknown indicator {ind_id!r}")
            for j, band in enumerate(rule.bands):
                for pname in (band.band, band.min_param):
                    if pname is not None and pname not in self.parameters:
                        raise ValueError(f"rules[{i}].bands[{j}]: unknown parameter {pname!r}")
        if len({r.id for r in self.rules}) != len(self.rules):
            raise ValueError("rules: duplicate id")
        mins = [lv.min_points for lv in self.levels]
        if not mins or mins[0] != 0 or mins != sorted(set(mins)):
            raise ValueError("levels: min_points must start at 0 and increase strictly")
        return self

    # -- parameters ---------------------------------------------------------------------------
    def param(self, name: str) -> ParamValue:
        return self.parameters[name].value

    def int_param(self, name: str) -> int:
        value = self.param(name)
        assert isinstance(value, int)
        return value

    def str_param(self, name: str) -> str:
        value = self.param(name)
        assert isinstance(value, str)
        return value

    def ints_param(self, name: str) -> list[int]:
        value = self.param(name)
        assert isinstance(value, list)
        return [int(v) for v in value]

    def strs_param(self, name: str) -> list[str]:
        value = self.param(name)
        assert isinstance(value, list)
        return [str(v) for v in value]

    def strs_list_param(self, name: str) -> list[str]:
        """A list-of-texts parameter that may be empty (code patterns)."""
        value = self.param(name)
        assert isinstance(value, list)
        return [str(v) for v in value]

    def parameter_values(self) -> dict[str, ParamValue]:
        return {name: p.value for name, p in self.parameters.items()}

    def with_params(self, overrides: dict[str, str]) -> DentalProgram:
        """A copy with `NAME=VALUE` strings applied (lists comma-separated), each checked."""
        if not overrides:
            return self
        params = dict(self.parameters)
        for name, text in overrides.items():
            if name not in params:
                raise ProgramFileError(f"--param {name}: unknown parameter of {self.id}")
            old = params[name]
            new_value = _parse_like(old.value, text, name)
            params[name] = old.model_copy(update={"value": new_value})
        data = self.model_dump()
        data["parameters"] = {k: v.model_dump() for k, v in params.items()}
        try:
            return DentalProgram.model_validate(data)
        except ValidationError as exc:
            raise ProgramFileError(f"--param: {_first_error(exc)}") from exc

    # -- code sets ----------------------------------------------------------------------------
    def code_set_codes(self, name: str) -> tuple[list[str], str | None]:
        """(explicit codes, full-match pattern or None) of a code set."""
        cs = self.code_sets[name]
        if cs.param is not None:
            return self.strs_param(cs.param), None
        if cs.codes is not None:
            return list(cs.codes), None
        if cs.patterns_param is not None:
            patterns = self.strs_list_param(cs.patterns_param)
            return [], "|".join(f"(?:{p})" for p in patterns) if patterns else None
        return [], cs.pattern

    @property
    def scored_indicator_ids(self) -> list[str]:
        """The indicators scoring reads, in the program's order: those its rules name and those
        the engine reads by id (`ENGINE_INDICATORS`) — what a supplied indicator table must hold."""
        needed = set(ENGINE_INDICATORS).union(*(rule.indicators for rule in self.rules))
        return [ind.id for ind in self.indicators if ind.id in needed]

    @property
    def total_indicator_ids(self) -> list[str]:
        """The indicators that are totals (a numerator without a denominator: points, teeth),
        which can never be negative."""
        return [ind.id for ind in self.indicators if ind.derived is None and not ind.denominator]

    def indicator(self, ind_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == ind_id:
                return ind
        raise KeyError(ind_id)

    @property
    def criteria_count(self) -> int:
        """The criteria `programs list` counts: the indicators the seed numbers s1 … s29.

        Seed 004's indicator list (after section 十七) is headed 「28 項指標」 but numbers 29
        entries, s1 … s29; the 28 is the seed's own miscount, and we count the list. The
        program's other indicators (oral_exam for 三.5, avg_case_points for 十二, od_teeth for 十)
        are values the rules read, not indicators the seed numbers.
        """
        return sum(1 for ind in self.indicators if SEED_NUMBERED_INDICATOR.fullmatch(ind.id))


def _shape_problem(value: ParamValue, shape: str) -> str | None:
    if shape == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else "expected an integer"
    if shape == "str":
        return None if isinstance(value, str) and value else "expected a non-empty text"
    if shape == "month":
        month_ok = isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) is not None
        return None if month_ok else "expected a month YYYY-MM"
    if shape == "patterns":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return "expected a list of full-match patterns (may be empty)"
        for v in value:
            try:
                re.compile(str(v))
            except re.error as exc:
                return f"bad pattern {v!r}: {exc}"
        return None
    if shape == "strs":
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
        return None if ok else "expected a non-empty list of texts"
    count = int(shape[3:])
    ok = isinstance(value, list) and len(value) == count and all(isinstance(v, int) for v in value)
    return None if ok else f"expected a list of {count} integers"


def _parse_like(old: ParamValue, text: str, name: str) -> ParamValue:
    text = text.strip()
    try:
        if isinstance(old, list):
            items = [x.strip() for x in text.split(",") if x.strip()]
            if old and all(isinstance(v, int) for v in old):
                return [int(x) for x in items]
            return items
        if isinstance(old, int):
            return int(text.replace("_", ""))
    except ValueError as exc:
        raise ProgramFileError(f"--param {name}={text}: expected {type(old).__name__} values") from exc
    return text


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    path = ".".join(str(p) for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{path}: {msg}" if path else msg


def load_dental_program(path: str | Path | None = None) -> DentalProgram:
    """Read and validate a dental program file; the default is `dental-south-113.yaml`."""
    file = Path(path) if path is not None else DEFAULT_PROGRAM_PATH
    try:
        raw: Any = parse_yaml(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProgramFileError(f"{file}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ProgramFileError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProgramFileError(f"{file}: (top): expected a mapping")
    try:
        return DentalProgram.model_validate(raw)
    except ValidationError as exc:
        raise ProgramFileError(f"{file}: {_first_error(exc)}") from exc
