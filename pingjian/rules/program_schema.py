"""The schema every evaluation and certification program file (評鑑/認證計畫) is validated against.

One YAML file per program and ROC year (`postpartum-111.yaml`). A published file is never edited:
a change of rules is a new file with a new version. Numbers carry the seed and section they come
from in `reference`; anything that is our modelling rather than official text carries `assumption`.
Finding and reading the files is `pingjian.rules.programs`; the dental program has its own schema
(`pingjian.rules.dental_program`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pingjian.rules.eligibility import check_params

Grade = Literal["A", "B", "C", "D", "E"]
GRADE_ORDER: tuple[Grade, ...] = ("A", "B", "C", "D", "E")

# How an item may be given in an assessment (contract: evaluation-programs.md, "Scoring").
ItemForm = Literal["score", "met", "grade", "result"]

# Who checks a requirement, and how (seed 002 附件1 評核方式 columns).
AssessmentMethod = Literal[
    "local_preliminary",  # 地方政府以既有資料初審
    "mohw_review",  # 衛生福利部以既有資料審查
    "onsite",  # 評鑑委員實地訪查
    "upload",  # 機構上傳佐證資料
]

PositiveDecimal = Annotated[Decimal, Field(gt=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionAnswer(Strict):
    question: str
    answer: str


class Requirement(Strict):
    """A numbered requirement of a criterion (基準說明 1., 2., …)."""

    number: int = Field(ge=1)
    text: str
    sub_items: list[str] = []  # (1)(2)… inside the requirement
    methods: list[AssessmentMethod] = []
    upload_note: str | None = None  # 備註: what the institution uploads, or how it is checked
    on_site_only: bool = False  # personal care records stay on site (seed 002 §三): no upload slot
    preliminary_review: int | None = None  # the §八(三) check that decides it, by its number
    reference: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Requirement:
        if self.on_site_only and "upload" in self.methods:
            raise ValueError("an on_site_only requirement cannot also be uploaded (method `upload`)")
        if len(set(self.methods)) != len(self.methods):
            raise ValueError(f"methods repeat: {self.methods}")
        return self


class Item(Strict):
    """A criterion (基準 / 條文 / 查核項目) that earns points."""

    id: str
    title: str
    title_en: str | None = None
    group: str
    subgroup: str | None = None
    max_points: PositiveDecimal
    forms: list[ItemForm] = Field(min_length=1)
    grades: list[Grade] | None = None  # the grades this item has: A–E, or A/C/E
    grade_descriptions: dict[Grade, str] = {}
    requirements: list[Requirement] = []
    exemptable: bool = False  # 可免評
    exemption_condition: str | None = None  # when the item MAY be exempted (stated positively)
    # when the item may NOT be exempted (…本項不得免評): never a reason to exempt
    no_exemption_condition: str | None = None
    key: bool = False  # 重點條文
    key_min_grade: Grade | None = None  # a grade below this fails the whole evaluation
    required: bool = False  # not met fails the whole evaluation
    purpose: str | None = None  # 目的
    purpose_examples: list[str] = []  # the examples the seed lists after 目的 (…如：…)
    notes: list[str] = []  # [註]
    consensus: list[str] = []  # 委員共識 / 評量共識
    qa: list[QuestionAnswer] = []
    revision_note: str | None = None  # 修訂說明
    focus_areas: list[str] = []
    assumption: str | None = None  # set when the item is our modelling, not official text
    reference: str

    @property
    def accepted_forms(self) -> list[str]:
        """Every input form an assessment may give this item in: its scoring forms, plus `exempt`
        where the criterion allows exemption (contract, "Scoring": "… or `exempt` where the
        criterion allows exemption")."""
        return [*self.forms, "exempt"] if self.exemptable else list(self.forms)

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if "grade" in self.forms and not self.grades:
            raise ValueError("an item accepting `grade` must list its `grades`")
        if self.grades and self.grades[0] != "A":
            raise ValueError("grades start at A")
        if self.key_min_grade is not None:
            if not self.key:
                raise ValueError("key_min_grade is only for key items (key: true)")
            if not self.grades or self.key_min_grade not in self.grades:
                raise ValueError(f"key_min_grade {self.key_min_grade} is not one of the item's grades")
        unknown = set(self.grade_descriptions) - set(self.grades or [])
        if unknown:
            raise ValueError(f"grade_descriptions for grades the item does not have: {sorted(unknown)}")
        numbers = [r.number for r in self.requirements]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"requirements must be numbered 1…n in order, got {numbers}")
        if "met" in self.forms and not self.requirements:
            raise ValueError("an item accepting `met` must list its numbered requirements")
        if self.exemption_condition and not self.exemptable:
            raise ValueError("exemption_condition given but the item is not exemptable")
        if self.no_exemption_condition and not self.exemptable:
            raise ValueError("no_exemption_condition given but the item is not exemptable at all")
        if self.purpose_examples and not self.purpose:
            raise ValueError("purpose_examples given without a purpose")
        return self


class Group(Strict):
    """A group of items with its share of the points (面向 / 章)."""

    id: str
    title: str
    title_en: str | None = None
    max_points: PositiveDecimal | None = None
    subgroups: dict[str, str] = {}  # e.g. A1: 人員管理及教育訓練
    reference: str | None = None


class Precondition(Strict):
    """A condition checked outside the score that can fail the evaluation (seed 002 §六)."""

    id: str
    title: str
    remediation_deadline: dt.date | None = None  # 限期改善/複評 must be completed by this day
    effect: str | None = None  # what happens when it is not met (e.g. 公告為評鑑結果不合格機構)
    evidence: list[str] = []  # the documents that show it (e.g. 消防安全設備檢修申報書)
    reference: str


class PreliminaryReviewCheck(Strict):
    """One row of the local government's preliminary review table (seed 002 §八(三))."""

    number: int = Field(ge=1)
    text: str
    source: str
    effect: str
    precondition: str | None = None  # the precondition it decides, or
    item: str | None = None  # the item whose score it feeds,
    requirement: int | None = None  # and the requirement within it
    reference: str


class Scoring(Strict):
    """How item results become a total and a result."""

    method: Literal["points", "percent", "all_met"]
    # points: total = Σ item points; percent: total = earned / applicable max × 100;
    # all_met: total = applicable items met, pass when none is not met.
    pass_threshold: Decimal | None = None
    decimal_places: int = Field(default=2, ge=0, le=6)
    rounding: Literal["half_up"] = "half_up"  # applied once, to the total, after summation
    grade_fractions: dict[Grade, Decimal] = {}
    reference: str

    @model_validator(mode="after")
    def _consistent(self) -> Scoring:
        if self.method in ("points", "percent") and self.pass_threshold is None:
            raise ValueError(f"method {self.method} needs a pass_threshold")
        for grade, fraction in self.grade_fractions.items():
            if not Decimal(0) <= fraction <= Decimal(1):
                raise ValueError(f"grade fraction of {grade} must be between 0 and 1")
        return self


class EligibilityClause(Strict):
    """A clause making an institution a target (評鑑對象). `rule` names a predicate of
    `pingjian.rules.eligibility`; `params` are its arguments, so a new year is new data."""

    id: str
    text: str
    rule: str
    params: dict[str, Any] = {}
    reference: str


class Condition(Strict):
    """An application condition or a consequence, stated as text with its source."""

    id: str
    text: str
    reference: str
    assumption: str | None = None


class AppealPeriod(Strict):
    """申復期間: an institution may appeal the result within `days` days counted from the day
    after it received the notice (行政程序法第48條 counts them: `deadlines.administrative_deadline`)."""

    days: int = Field(ge=1, le=365)
    reference: str


# The surveyors' fields of expertise a visit team is made of (評鑑委員之專長).
EXPERTISE = (
    "medicine",
    "nursing",
    "midwifery",
    "management",
    "environment_safety",
    "psychiatry",
    "social_work",
    "occupational_therapy",
    "psychology",
)


class TeamRole(Strict):
    """One member of a visit team: anyone with one of these fields of expertise fills it."""

    label: str
    expertise: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_expertise(self) -> TeamRole:
        unknown = sorted(set(self.expertise) - set(EXPERTISE))
        if unknown:
            raise ValueError(f"unknown expertise {unknown}; known: {list(EXPERTISE)}")
        return self


class VisitPlan(Strict):
    """What a site visit takes: its length in half-days and its team, one member per role."""

    half_days: int = Field(ge=1, le=2)
    team: list[TeamRole] = Field(min_length=1)
    reference: str


class Window(Strict):
    opens: dt.date | None = None
    closes: dt.date
    reference: str

    @model_validator(mode="after")
    def _in_order(self) -> Window:
        if self.opens is not None and self.opens > self.closes:
            raise ValueError(f"opens {self.opens.isoformat()} is after closes {self.closes.isoformat()}")
        return self


class ValidityStep(Strict):
    """One length of validity, by the consecutive failures immediately before the pass (the last
    step applies to that many or more). A step the seed states carries its `reference`; a step
    that is our assumption carries `assumed: true` and, in words people read, its `assumption`
    (what we assumed and who confirms it)."""

    after_consecutive_failures: int = Field(ge=0)
    years: int = Field(ge=1, le=10)
    reference: str | None = None
    assumed: bool = False
    assumption: str | None = None

    @model_validator(mode="after")
    def _stated_or_assumed(self) -> ValidityStep:
        if self.assumed and not self.assumption:
            raise ValueError(f"the {self.years}-year step is assumed: say so in words in `assumption`")
        if not self.assumed and not self.reference:
            raise ValueError(f"the {self.years}-year step is not assumed: give its `reference`")
        return self


class Validity(Strict):
    """Which validity-period rule of `pingjian.rules.validity` applies, and its parameters."""

    rule: str
    params: dict[str, Any] = {}
    steps: list[ValidityStep] = []  # lengths by consecutive failures (postpartum_validity)
    reference: str

    @model_validator(mode="after")
    def _steps_in_order(self) -> Validity:
        counts = [s.after_consecutive_failures for s in self.steps]
        if counts != list(range(len(counts))):
            raise ValueError(f"steps must count consecutive failures 0, 1, 2 … in order, got {counts}")
        return self

    @property
    def stated_steps(self) -> list[ValidityStep]:
        """The steps the seed states (not assumed)."""
        return [s for s in self.steps if not s.assumed]


class Program(Strict):
    """An evaluation or certification program of one ROC year."""

    id: str = Field(pattern=r"^[a-z][a-z-]*-\d{3}$")
    kind: Literal["evaluation", "certification"]
    title: str
    title_en: str
    version: int = Field(ge=100, le=200)  # ROC year
    effective_from: dt.date
    status: Literal["draft", "published"] = "published"
    owner: str  # 主辦機關 / 辦理單位
    institution_types: list[str] = Field(min_length=1)
    purposes: list[str] = []
    reference: str
    application_window: Window | None = None  # when an institution applies (報名／申請期間)
    # when the local governments report the institutions that must be evaluated (提報評鑑對象名單)
    target_list_window: Window | None = None
    # by when every evaluated institution uploads the documents asked before the visit
    documents_upload_window: Window | None = None
    visit_window: Window | None = None
    visit_plan: VisitPlan | None = None  # None: the program states no team (the web's default applies)
    validity: Validity | None = None
    scoring: Scoring
    groups: list[Group] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    preconditions: list[Precondition] = []
    preliminary_review: list[PreliminaryReviewCheck] = []
    preliminary_review_window: Window | None = None  # when the local government completes it
    eligibility: list[EligibilityClause] = []
    application_conditions: list[Condition] = []
    appeal: AppealPeriod | None = None  # None: the program states no appeal period
    notes: list[str] = []

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        ids = [item.id for item in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate item ids: {duplicates}")
        groups = {g.id: g for g in self.groups}
        for item in self.items:
            if item.group not in groups:
                raise ValueError(f"item {item.id}: unknown group {item.group!r}")
            if item.grades:
                missing = set(item.grades) - set(self.scoring.grade_fractions)
                if missing:
                    raise ValueError(f"item {item.id}: no grade fraction for {sorted(missing)}")
        for group in self.groups:
            if group.max_points is None:
                continue
            total = sum((i.max_points for i in self.items if i.group == group.id), Decimal(0))
            if total != group.max_points:
                raise ValueError(
                    f"group {group.id}: items' max_points sum to {total}, the group has {group.max_points}"
                )
        if self.scoring.method == "all_met":
            for item in self.items:
                if item.max_points != 1:
                    raise ValueError(f"item {item.id}: an all_met program counts items, max_points must be 1")
                if "result" not in item.forms:
                    raise ValueError(f"item {item.id}: an all_met program judges items by `result`")
        known_preconditions = {p.id for p in self.preconditions}
        if len(known_preconditions) != len(self.preconditions):
            raise ValueError("duplicate precondition ids")
        by_id = {item.id: item for item in self.items}
        numbers = [c.number for c in self.preliminary_review]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"preliminary review rows repeat a number: {numbers}")
        clause_ids = [c.id for c in self.eligibility]
        if len(set(clause_ids)) != len(clause_ids):
            raise ValueError(f"eligibility clauses repeat an id: {clause_ids}")
        if self.eligibility:
            check_params(self.eligibility)  # the predicates the clauses name exist, with their params
        fed_by_rows = {(c.item, c.requirement): c.number for c in self.preliminary_review if c.item}
        for item in self.items:
            for requirement in item.requirements:
                row = requirement.preliminary_review
                if row is None:
                    continue
                if fed_by_rows.get((item.id, requirement.number)) != row:
                    raise ValueError(
                        f"item {item.id} requirement {requirement.number}: preliminary_review {row} "
                        f"has no matching row (item {item.id}, requirement {requirement.number})"
                    )
        for check in self.preliminary_review:
            if check.precondition and check.precondition not in known_preconditions:
                raise ValueError(f"preliminary review {check.number}: unknown precondition")
            if check.item:
                fed = by_id.get(check.item)
                if fed is None:
                    raise ValueError(f"preliminary review {check.number}: unknown item {check.item}")
                if check.requirement and check.requirement > len(fed.requirements):
                    raise ValueError(
                        f"preliminary review {check.number}: {check.item} has no requirement "
                        f"{check.requirement}"
                    )
                if check.requirement and fed.requirements[check.requirement - 1].preliminary_review != (
                    check.number
                ):
                    raise ValueError(
                        f"preliminary review {check.number}: {check.item} requirement {check.requirement} "
                        f"does not name it in its preliminary_review"
                    )
            if check.precondition and check.item:
                raise ValueError(
                    f"preliminary review {check.number}: decides a precondition or feeds an item"
                )
        return self

    def subgroup_mismatches(self) -> list[str]:
        """Items whose subgroup is not one their group lists (or that name none where the group
        has subgroups). Not a validation error: versions published before issue 21 stored
        postpartum-111 with C1/C2 under a group listing only C, and they must still load; the
        shipped files are held to it by tests/rules/test_program_data_corrections.py."""
        groups = {g.id: g for g in self.groups}
        wrong = []
        for item in self.items:
            subgroups = groups[item.group].subgroups
            if (item.subgroup is not None and item.subgroup not in subgroups) or (
                subgroups and item.subgroup is None
            ):
                wrong.append(f"{item.id} ({item.group}/{item.subgroup}, group lists {sorted(subgroups)})")
        return wrong

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def max_total(self) -> Decimal:
        return sum((item.max_points for item in self.items), Decimal(0))

    @property
    def criteria_count(self) -> int:
        """The criteria `programs list` counts: the program's items."""
        return len(self.items)
