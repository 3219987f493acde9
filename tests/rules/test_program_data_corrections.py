"""Issue 21: program data corrections from a line-by-line review against seeds 000, 002 and 003."""

import datetime as dt

import pytest
from pydantic import ValidationError

from pingjian.rules.program_schema import Item, ValidityStep
from pingjian.rules.programs import list_programs, load_program
from pingjian.rules.validity import postpartum_step, program_validity, validity_basis


def test_residential_3_5_note_3_is_a_condition_that_forbids_exemption_seed_003():
    """seed 003 住宿型 3.5 [註]3「…本項不得免評」: a condition under which the item may NOT be
    exempted; no field that names a reason to exempt holds it."""
    item = load_program("psych-rehab-residential-107").item("3.5")
    assert item.exemptable
    assert item.exemption_condition is None
    assert item.no_exemption_condition.endswith("本項不得免評")


def test_a_no_exemption_condition_needs_an_exemptable_item():
    with pytest.raises(ValidationError, match="not exemptable"):
        Item(
            id="x", title="x", group="1", max_points=1, forms=["score"], reference="r",
            no_exemption_condition="本項不得免評",
        )  # fmt: skip


def test_postpartum_group_c_subgroup_agrees_with_its_items_seed_002_annex_1():
    """seed 002 附件1 「C 環境設施與安全維護 (2 項)」 heads C1 and C2 as 「A1 … (2項)」 heads A1.1–A1.2."""
    program = load_program("postpartum-111")
    assert program.groups[2].subgroups == {"C": "環境設施與安全維護"}
    assert [(i.id, i.subgroup) for i in program.items if i.group == "C"] == [("C1", "C"), ("C2", "C")]


@pytest.mark.parametrize("program_id", [p.id for p in list_programs() if p.kind != "dental"])
def test_every_item_names_a_subgroup_its_group_lists(program_id):
    program = load_program(program_id)
    if hasattr(program, "subgroup_mismatches"):
        assert program.subgroup_mismatches() == []


def test_postpartum_validity_states_4_and_1_and_marks_3_and_2_assumed_seed_002_s13():
    """seed 002 §十三(一): 最長為4年、最短為1年; the 3- and 2-year steps are not in the seed."""
    steps = load_program("postpartum-111").validity.steps
    assert [(s.years, s.assumed) for s in steps] == [(4, False), (3, True), (2, True), (1, False)]
    assert "最長為4年" in steps[0].reference and "§十三" in steps[0].reference
    assert "最短為1年" in steps[3].reference
    for step in steps[1:3]:
        assert "假設" in step.assumption and "待管理者" in step.assumption
    assert postpartum_step(1).assumed and not postpartum_step(5).assumed


def test_an_assumed_step_must_say_so_in_words():
    with pytest.raises(ValidationError, match="assumed"):
        ValidityStep(after_consecutive_failures=1, years=3, assumed=True)
    with pytest.raises(ValidationError, match="reference"):
        ValidityStep(after_consecutive_failures=0, years=4)


def test_validity_basis_says_which_length_is_assumed_seed_002_s13():
    stated = validity_basis("postpartum-111", dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    assert (stated.years, stated.assumed) == (4, False)
    assert [years for years, _ in stated.stated] == [4, 1]
    assumed = validity_basis("postpartum-111", dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    assert (assumed.years, assumed.assumed) == (2, True)
    assert "2年之效期為本系統之假設" in assumed.assumption
    # a length no step gives (e.g. after an extension) has nothing to say
    assert validity_basis("postpartum-111", dt.date(2023, 1, 1), dt.date(2027, 6, 30)) is None
    # seed 003 states no validity period: the page says so rather than inventing one
    assert validity_basis("psych-rehab-day-107", dt.date(2018, 12, 20), None).years is None


def test_postpartum_dates_are_named_for_what_they_are_seed_002_s8():
    """seed 002 §八(一) bureaus report the targets 111/1/3–2/15; §八(二) safety documents by 111/5/31."""
    program = load_program("postpartum-111")
    assert program.application_window is None
    assert (program.target_list_window.opens, program.target_list_window.closes) == (
        dt.date(2022, 1, 3),
        dt.date(2022, 2, 15),
    )
    assert "§八(一)" in program.target_list_window.reference
    assert program.documents_upload_window.closes == dt.date(2022, 5, 31)
    assert "§八(二)" in program.documents_upload_window.reference


@pytest.mark.parametrize(
    ("program_id", "total", "split"),
    [
        ("aesthetic-clinic-112", 21, "壹 9 項，貳 12 項"),
        ("cell-therapy-clinic-112", 24, "壹 10 項，貳 14 項"),
    ],
)
def test_jct_split_by_face_is_marked_as_our_modelling_seed_000(program_id, total, split):
    """seed 000 查核項目及查證重點-異同處 gives only the totals 21 and 24, not the split."""
    program = load_program(program_id)
    note = next(n for n in program.notes if f"共 {total} 項" in n)
    assert split in note
    assert "本系統之建模（假設）" in note and "seed 000 未載" in note
    last = split.split("貳 ")[1]  # e.g. "12 項": no longer cited as if seed 000 gave it
    assert not any(f"{last}（seed 000" in n for n in program.notes)


def test_day_2_6_examples_are_kept_as_examples_not_purpose_seed_003():
    """seed 003 日間型 2.6: 目的, then two example lists (工作復健訓練如…, 轉銜服務如…)."""
    item = load_program("psych-rehab-day-107").item("2.6")
    assert item.purpose == "機構提供與生活相關之工作復健訓練及轉銜服務，以逐步培養良好之工作態度、習慣與能力"
    assert [e.split("：")[0] for e in item.purpose_examples] == ["工作復健訓練如", "轉銜服務如"]
    assert "如：" not in item.purpose


def test_program_validity_comes_from_the_program_files():
    """Issue 21 item 8: postpartum-111 ends at the seed's longest 115/12/31 (seed 002 §十三), JCT 3
    years from the decision (seed 000), and seed 003 states no end for the psych programs."""
    assert program_validity("postpartum-111", "i", dt.date(2022, 12, 20)) == (
        dt.date(2023, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert program_validity("aesthetic-clinic-112", "i", dt.date(2023, 9, 15)) == (
        dt.date(2023, 9, 15),
        dt.date(2026, 9, 14),
    )
    assert program_validity("psych-rehab-day-107", "i", dt.date(2018, 12, 20)) == (
        dt.date(2018, 12, 20),
        None,
    )
    assert program_validity("postpartum-111", "i", dt.date(2022, 12, 20), passed=False) is None
