"""Point rules, exclusions, deductions, flag and levels (seed 004 三–六, 八–十二) on the light
stage alone: values and ranks are given, no engine runs."""

from datetime import date, timedelta
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingjian.dental.points import (
    ClinicFacts,
    ClinicInput,
    ClinicScore,
    combine_periods,
    derived_values,
    level_for,
    score_clinic,
    score_quarter,
)
from pingjian.rules.dental_program import load_dental_program

P = load_dental_program()
QEND = date(2024, 12, 31)


def run(values=None, ranks=None, cross=(), **facts) -> ClinicScore:
    facts.setdefault("opened_on", date(2010, 1, 1))
    f = ClinicFacts(clinic_id="A", region="south", **facts)
    vals = {"s1": F(100_000), "s25": F(10), "avg_case_points": F(500), "s27": F(0)}
    vals.update({k: (None if v is None else F(v)) for k, v in (values or {}).items()})
    inp = ClinicInput(f, vals, list(cross))
    inp.values.update(derived_values(P, inp, QEND))
    return score_clinic(P, "2024Q4", QEND, inp, dict(ranks or {}))


@pytest.mark.parametrize(
    ("pr", "r3_1", "r4_2"), [(84, 0, 0), (85, 1, 0), (94, 1, 0), (95, 0, 2), (99, 0, 2), (100, 0, 2)]
)
def test_general_indicator_bands_3_1_and_4_2_do_not_overlap(pr, r3_1, r4_2):
    """seed 004 三.1 (85–94 → 1) and 四.2 (95–100 → 2) for s3."""
    s = run(ranks={"s3": pr})
    assert (s.rule_points["r3_1"], s.rule_points["r4_2"]) == (r3_1, r4_2)


@pytest.mark.parametrize(("pr", "pts"), [(84, 0), (85, 2), (94, 2), (95, 3), (99, 3), (100, 4)])
def test_key_indicator_bands_4_1_5_1_6_1(pr, pts):
    assert run(ranks={"s2": pr}).rule_points["r4_1"] == pts


@pytest.mark.parametrize(("pr", "pts"), [(84, 0), (85, 1), (94, 1), (95, 2), (98, 2), (99, 3), (100, 3)])
def test_oral_exam_bands_3_5_4_6_5_4(pr, pts):
    assert run(ranks={"oral_exam": pr}).rule_points["r3_5"] == pts


@pytest.mark.parametrize(("pr", "pts"), [(84, 0), (85, 1), (100, 1)])
def test_s21_at_or_above_85_rule_3_2(pr, pts):
    assert run(ranks={"s21": pr}).rule_points["r3_2"] == pts


def test_each_listed_indicator_earns_separately_rule_3_1():
    s = run(ranks={"s3": 85, "s10": 90, "s11": 94, "s14": 86, "s23": 85, "s2": 90})
    assert s.rule_points["r3_1"] == 5


def test_s1_top_band_rule_4_2():
    assert run(ranks={"s1": 95, "s17": 100, "s9": 96}).rule_points["r4_2"] == 6


@pytest.mark.parametrize(
    ("s25", "s1", "pts"),
    [
        (F(799, 100), 349_999, 1),
        (8, 349_999, 0),
        (0, 349_999, 1),
        (7, 350_000, 2),
        (3, 350_000, 2),
        (3, 549_999, 2),
        (3, 550_000, 3),
        (F(799, 100), 550_000, 3),
        (8, 550_000, 0),
        (F(299, 100), 350_000, 3),
        (1, 350_000, 3),
        (1, 2_000_000, 3),
        (F(99, 100), 350_000, 0),  # strict, as seed 五.3 writes it
        (F(99, 100), 350_001, 3),
        (F(99, 100), 549_999, 3),
        (F(99, 100), 550_000, 4),
        (0, 550_000, 4),
    ],
)
def test_s25_and_s1_one_outcome_rules_3_4_4_4_5_3_6_3(s25, s1, pts):
    assert run({"s25": s25, "s1": s1}).rule_points["r3_4"] == pts


def test_s25_null_earns_nothing_from_3_4():
    assert run({"s25": None, "s1": 100}).rule_points["r3_4"] == 0


@pytest.mark.parametrize(
    ("days", "over", "pts"),
    [
        (364, 1, 1),
        (364, 0, 0),
        (364, 49_999, 1),
        (364, 50_000, 2),
        (364, 149_999, 2),
        (364, 150_000, 3),
        (364, 249_999, 3),
        (364, 250_000, 4),
        (365, 250_000, 0),
        (0, 10, 1),
    ],
)
def test_new_clinic_over_cap_rules_3_3_4_3_5_2_6_2_reading_14(days, over, pts):
    s = run({"s1": 350_000 + over}, opened_on=QEND - timedelta(days=days))
    assert s.rule_points["r3_3"] == pts
    assert s.values["s28"] == (F(over) if days < 365 else None)


def test_new_clinic_cap_is_a_parameter():
    prog = P.with_params({"new_clinic_cap": "400000"})
    f = ClinicFacts("A", "south", opened_on=QEND - timedelta(days=10))
    inp = ClinicInput(f, {"s1": F(450_000), "s25": F(10)})
    assert score_clinic(prog, "q", QEND, inp, {}).rule_points["r3_3"] == 2


@pytest.mark.parametrize(
    ("s27", "s1", "pts"),
    [(50, 550_000, 0), (F(5001, 100), 550_000, 2), (F(5001, 100), 549_999, 0), (100, 900_000, 2)],
)
def test_scaling_ratio_and_s1_rule_4_5(s27, s1, pts):
    assert run({"s27": s27, "s1": s1}).rule_points["r4_5"] == pts


def test_unimproved_after_agreement_rule_6_4():
    assert run(unimproved_after_agreement=True).rule_points["r6_4"] == 4


@pytest.mark.parametrize(("outreach", "ded"), [(0, 0), (1, -1), (12, -1), (13, -2)])
def test_outreach_deduction_rule_11_reading_6(outreach, ded):
    s = run(ranks={"s2": 100}, outreach_sessions_year=outreach)
    assert s.rule_points["r11"] == ded
    assert s.points == 4 + ded


def test_total_never_below_zero_reading_6():
    s = run(ranks={"s3": 85}, outreach_sessions_year=13)
    assert s.rule_points["r11"] == -2 and s.gross == 1 and s.points == 0 and s.level == 0


@pytest.mark.parametrize(
    ("sessions", "s1", "excluded"),
    [(44, 200_000, True), (44, 200_001, False), (F(439, 10), 200_000, False), (60, 0, True)],
)
def test_exclusion_rule_9_edges(sessions, s1, excluded):
    assert run({"s1": s1}, sessions_per_month=F(sessions)).excluded is excluded


def test_excluded_clinic_has_empty_points_level_and_rules_but_keeps_values_reading_5():
    s = run({"s1": 150_000, "avg_case_points": 2000}, ranks={"s2": 100, "s1": 40}, sessions_per_month=F(44))
    assert s.excluded and s.points is None and s.level is None and s.gross is None
    assert set(s.rule_points.values()) == {None}
    assert s.values["s1"] == 150_000 and s.ranks["s2"] == 100
    assert s.flags == ["reference"]
    assert "九" in s.exclusion_reason


@pytest.mark.parametrize(
    ("avg", "s25", "flag"),
    [
        (1800, 50, True),
        (1799, 50, False),
        (1500, F(299, 100), True),
        (1500, 3, False),
        (1499, 0, False),
        (1500, None, False),
    ],
)
def test_reference_flag_rule_12(avg, s25, flag):
    s = run({"avg_case_points": avg, "s25": s25})
    assert ("reference" in s.flags) is flag


def test_reference_flag_keeps_points_and_level_reading_2():
    plain = run(ranks={"s2": 100, "s5": 100})
    flagged = run({"avg_case_points": 1900}, ranks={"s2": 100, "s5": 100})
    assert flagged.flags == ["reference"] and plain.flags == []
    assert flagged.points == plain.points == 8 and flagged.level == plain.level == 2


def test_rule_10_withholds_only_listed_indicators_reading_13():
    ranks = {"od_teeth": 14, "s5": 100, "s7": 100, "s2": 100, "s9": 100, "s10": 100, "s21": 90, "s20": 100}
    s = run(ranks=ranks)
    assert s.rule_points["r4_1"] == 4  # s2 only; s5 and s7 withheld
    assert s.rule_points["r4_2"] == 2  # s10 only; s9 withheld
    assert s.rule_points["r3_2"] == 1  # s21 still earns
    assert any(f.rule == "rule_10" for f in s.firings)
    s15 = run(ranks={**ranks, "od_teeth": 15})
    assert s15.rule_points["r4_1"] == 12 and s15.rule_points["r4_2"] == 4


def xr(*ts):
    return [(f"X{i}", 202410 + i % 3, t) for i, t in enumerate(ts)]


@pytest.mark.parametrize(("t", "pts"), [(100_000, 0), (100_001, 3), (150_000, 3), (150_001, 4)])
def test_cross_region_thresholds_rules_5_5_6_5(t, pts):
    assert run(cross=xr(t)).rule_points["r5_5"] == pts


@pytest.mark.parametrize(
    ("ts", "pts"),
    [
        ((120_000,) * 3, 9),
        ((120_000,) * 4, 9),
        ((160_000,) * 3, 12),
        ((160_000,) * 4, 12),
        ((160_000, 120_000), 7),
        ((160_000,) + (120_000,) * 3, 12),
        ((90_000, 120_000), 3),
    ],
)
def test_cross_region_caps_9_and_12_reading_15(ts, pts):
    s = run(cross=xr(*ts))
    assert s.rule_points["r5_5"] == pts
    assert s.values["s29"] == max(ts)


@pytest.mark.parametrize(
    ("pts", "level"),
    [(0, 0), (1, 1), (4, 1), (5, 2), (9, 2), (10, 3), (15, 3), (16, 4), (19, 4), (20, 5), (57, 5)],
)
def test_levels_section_8(pts, level):
    assert level_for(P, F(pts)) == level


@pytest.mark.parametrize(("pts", "level"), [(F(1, 2), 0), (F(9, 2), 1), (F(19, 2), 2), (F(39, 4), 2)])
def test_levels_of_divided_points_read_at_least_the_lower_bound_section_2(pts, level):
    assert level_for(P, pts) == level


def _score_with(points_by_quarter):
    out = []
    for q, pts in enumerate(points_by_quarter):
        s = run(ranks={"s2": 100} if pts == 4 else {"s3": 85} if pts == 1 else {})
        s.quarter = f"2024Q{q + 1}"
        out.append([s])
    return out


def test_half_year_and_year_divide_summed_points_section_2():
    half = combine_periods(P, "2024H2", _score_with([4, 1]))
    assert half[0].points == F(5, 2) and half[0].level == 1
    year = combine_periods(P, "2024", _score_with([4, 4, 4, 1]))
    assert year[0].points == F(13, 4) and year[0].level == 1


def test_period_exclusion_counts_only_the_quarters_a_clinic_was_scored_in_section_2_readings_5_19():
    """九 in half-year runs: excluded in the only quarter with lines (the other has none, so it is
    not scored — reading 19) → excluded for the period (reading 5); excluded in one quarter and
    scored in the other → not excluded, the excluded quarter contributes 0."""
    excluded = run(ranks={"s2": 100}, sessions_per_month=F(50))  # 九: ≥ 44 sessions, s1 ≤ 200,000
    assert excluded.excluded
    excluded.quarter = "2024Q3"
    only_q3 = combine_periods(P, "2024H2", [[excluded], []])[0]
    assert only_q3.excluded and only_q3.points is None and only_q3.level is None
    scored = run(ranks={"s2": 100})
    scored.quarter = "2024Q4"
    mixed = combine_periods(P, "2024H2", [[excluded], [scored]])[0]
    assert not mixed.excluded and mixed.points == F(4, 2) and mixed.level == 1


def test_zero_denominator_is_null_and_unranked_and_earns_nothing():
    a = ClinicInput(ClinicFacts("A", "south"), {"s1": F(1), "s2": None, "s25": F(10)})
    b = ClinicInput(ClinicFacts("B", "south"), {"s1": F(2), "s2": F(5), "s25": F(10)})
    scores = {s.clinic_id: s for s in score_quarter(P, "2024Q4", QEND, [a, b])}
    assert scores["A"].ranks["s2"] is None and scores["B"].ranks["s2"] == 100
    assert scores["A"].rule_points["r4_1"] == 0 and scores["B"].rule_points["r4_1"] == 4


def test_ranking_population_includes_excluded_new_and_flagged_clinics_reading_1():
    facts = [
        ClinicFacts("A", "south", sessions_per_month=F(50)),  # excluded by 九 (s1 ≤ 200,000)
        ClinicFacts("B", "south", opened_on=QEND),  # new
        ClinicFacts("C", "south", kind="hospital"),
        ClinicFacts("D", "south"),
    ]
    vals = [
        {"s1": F(1000), "s2": F(4), "avg_case_points": F(3000)},
        {"s1": F(2000), "s2": F(3)},
        {"s1": F(3000), "s2": F(2)},
        {"s1": F(4000), "s2": F(1)},
    ]
    scores = score_quarter(P, "2024Q4", QEND, [ClinicInput(f, v) for f, v in zip(facts, vals, strict=True)])
    assert [s.ranks["s2"] for s in scores] == [100, 75, 50, 25]
    assert scores[0].excluded and scores[0].flags == ["reference"]


band = st.integers(0, 100) | st.none()


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "s1",
                "s2",
                "s3",
                "s5",
                "s7",
                "s9",
                "s10",
                "s11",
                "s14",
                "s17",
                "s21",
                "s23",
                "oral_exam",
                "od_teeth",
            ]
        ),
        band,
    ),
    st.integers(0, 20),
    st.integers(0, 2_000_000),
    st.fractions(0, 100, max_denominator=100),
    st.lists(st.integers(0, 300_000), max_size=6),
)
def test_total_points_never_below_zero_and_level_matches_points(ranks, outreach, s1, s25, ts):
    s = run({"s1": s1, "s25": s25}, ranks=ranks, cross=xr(*ts), outreach_sessions_year=outreach)
    if not s.excluded:
        assert s.points >= 0
        assert s.level == level_for(P, s.points)
        assert s.points == max(0, sum(v for v in s.rule_points.values()))


@given(st.fractions(0, 60, max_denominator=8), st.fractions(0, 60, max_denominator=8))
def test_level_is_monotone_in_points(a, b):
    if a <= b:
        assert level_for(P, a) <= level_for(P, b)
