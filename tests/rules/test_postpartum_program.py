"""The postpartum-111 program file against seed 002: criteria, requirements, methods, remarks,
preliminary review, preconditions, groups, scoring rule, windows, validity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pingjian.rules.programs import load_program


@pytest.fixture(scope="module")
def program():
    return load_program("postpartum-111")


def test_seed_002_annex2_s1_sixteen_criteria_in_three_groups(program):
    """seed 002 附件2 一: A 5 項, B 9 項, C 2 項; 附件1 subgroups A1 (2), A2 (3), B1 (6), B2 (3), C (2)."""
    assert len(program.items) == 16
    by_group = {g.id: [i.id for i in program.items if i.group == g.id] for g in program.groups}
    assert by_group == {
        "A": ["A1.1", "A1.2", "A2.1", "A2.2", "A2.3"],
        "B": ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5", "B1.6", "B2.1", "B2.2", "B2.3"],
        "C": ["C1", "C2"],
    }
    assert [i.subgroup for i in program.items].count("B1") == 6


def test_seed_002_annex2_s2_group_points_20_50_30(program):
    """seed 002 附件2 二: A 20 分, B 50 分, C 30 分."""
    assert {g.id: g.max_points for g in program.groups} == {"A": 20, "B": 50, "C": 30}
    assert program.max_total == 100


def test_item_maxima_are_the_contracts_split_marked_as_assumption(program):
    expected = {
        "A1.1": 4,
        "A1.2": 4,
        "A2.1": 4,
        "A2.2": 4,
        "A2.3": 4,
        "B1.1": 6,
        "B1.2": 6,
        "B1.3": 5,
        "B1.4": 5,
        "B1.5": 5,
        "B1.6": 6,
        "B2.1": 6,
        "B2.2": 5,
        "B2.3": 6,
        "C1": 15,
        "C2": 15,
    }
    assert {i.id: i.max_points for i in program.items} == expected
    assert all(i.assumption and "契約" in i.assumption for i in program.items)
    assert all(i.forms == ["score", "met"] for i in program.items)


def test_seed_002_annex1_every_numbered_requirement(program):
    """seed 002 附件1 基準說明: the number of requirements of each criterion."""
    counts = {i.id: len(i.requirements) for i in program.items}
    assert counts == {
        "A1.1": 4,
        "A1.2": 7,
        "A2.1": 6,
        "A2.2": 3,
        "A2.3": 3,
        "B1.1": 5,
        "B1.2": 3,
        "B1.3": 3,
        "B1.4": 3,
        "B1.5": 2,
        "B1.6": 3,
        "B2.1": 6,
        "B2.2": 3,
        "B2.3": 3,
        "C1": 4,
        "C2": 4,
    }
    c2 = program.item("C2").requirements[2]
    assert len(c2.sub_items) == 5 and c2.sub_items[0].startswith("(1)")
    assert len(program.item("B1.5").requirements[0].sub_items) == 3


def test_seed_002_annex1_assessment_methods_per_requirement(program):
    """seed 002 附件1 評核方式: the ○ columns."""

    def methods(item, n):
        return program.item(item).requirements[n - 1].methods

    assert methods("A1.1", 1) == ["upload"]
    assert methods("A1.1", 2) == ["local_preliminary"]
    assert methods("A1.2", 2) == ["mohw_review"]
    assert methods("B1.1", 1) == ["onsite"]
    assert methods("B1.4", 3) == ["upload"]
    assert methods("C1", 1) == ["onsite", "upload"]
    assert methods("C2", 1) == ["mohw_review"]
    assert program.item("A1.2").requirements[1].upload_note == "機構不需進行簡報"
    assert program.item("B2.2").requirements[0].upload_note == "系統上傳照片佐證資料"


def test_seed_002_s3_personal_care_records_stay_on_site(program):
    """seed 002 §三: 個案照護紀錄個人資料不作線上查核審閱 — the B items checked on site have no upload."""
    on_site = [(i.id, r.number) for i in program.items for r in i.requirements if r.on_site_only]
    assert ("B1.1", 1) in on_site and ("B2.1", 6) in on_site and ("B1.4", 3) not in on_site
    for item in program.items:
        for r in item.requirements:
            if r.on_site_only:
                assert "upload" not in r.methods and item.group == "B"


def test_seed_002_s8_3_preliminary_review_rows(program):
    """seed 002 §八(三): rows 1–2 decide the preconditions, 3–4 feed A1.1, 5 feeds A2.1."""
    rows = {c.number: c for c in program.preliminary_review}
    assert sorted(rows) == [1, 2, 3, 4, 5]
    assert (rows[1].precondition, rows[2].precondition) == ("fire_safety", "building_safety")
    assert [(rows[n].item, rows[n].requirement) for n in (3, 4, 5)] == [("A1.1", 2), ("A1.1", 4), ("A2.1", 1)]
    assert program.item("A1.1").requirements[1].preliminary_review == 3
    assert program.preliminary_review_window.closes == dt.date(2022, 6, 30)


def test_seed_002_s6_preconditions_with_remediation_by_111_12_10(program):
    """seed 002 §六(三): 須於 111 年 12 月 10 日前完成限期改善或複評."""
    assert [p.id for p in program.preconditions] == ["fire_safety", "building_safety"]
    assert {p.remediation_deadline for p in program.preconditions} == {dt.date(2022, 12, 10)}


def test_seed_002_annex2_s3_pass_at_70_rounded_half_up_to_2_places(program):
    """seed 002 附件2 三(一)(二)."""
    s = program.scoring
    assert (s.method, s.pass_threshold, s.decimal_places, s.rounding) == ("points", Decimal(70), 2, "half_up")


def test_seed_002_windows_and_validity(program):
    """seed 002 §八(二) safety documents by 111-05-31, §九 visits July–November, §十三 validity 1–4 years."""
    assert program.documents_upload_window.closes == dt.date(2022, 5, 31)
    assert (program.visit_window.opens, program.visit_window.closes) == (
        dt.date(2022, 7, 1),
        dt.date(2022, 11, 30),
    )
    assert program.validity.rule == "postpartum_validity"
    assert [step.years for step in program.validity.steps] == [4, 3, 2, 1]
    assert len(program.purposes) == 3


def test_every_number_and_rule_carries_a_seed_reference(program):
    things = [
        program,
        program.scoring,
        *program.groups,
        *program.items,
        *program.preconditions,
        *program.preliminary_review,
        *program.eligibility,
        program.validity,
        program.target_list_window,
        program.documents_upload_window,
        program.visit_window,
    ]
    assert all(t.reference and "seed 002" in t.reference for t in things)
    assert all(r.reference for i in program.items for r in i.requirements)
