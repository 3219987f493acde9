"""The heavy stage on hand-built claims: each test names the contract reading or seed section.

Data are built in code (tests/dental/builders.py) and written to a temp dir; the pipeline runs on
DuckDB through the same Ibis expressions as on Spark."""

from fractions import Fraction as F

import pytest

from pingjian.dental import pipeline
from tests.dental.builders import Data


def indicators(d: Data, tmp_path, fmt="parquet", **kw):
    res = pipeline.indicators(d.write(tmp_path / "data", fmt), "2024Q4", **kw)
    return {i.facts.clinic_id: i.values for i in res.inputs}, res


def scored(d: Data, tmp_path, **kw):
    return pipeline.score(d.write(tmp_path / "data", "parquet"), "2024Q4", **kw).by_clinic()


def base(*clinics: str) -> Data:
    d = Data()
    for c in clinics:
        d.clinic(c)
    return d


# --- s8/s9/s10, s19/s20/s21: refills -----------------------------------------------------------


def test_refill_window_730_vs_731_days_s8_s9(tmp_path):
    d = base("A", "B")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="11")  # 730 days after 2022-10-02
    d.line("A", "2022-10-02", "89001C", patient="P1", tooth="11")
    d.line("A", "2024-10-01", "89001C", patient="P2", tooth="11")  # 731 days after 2022-10-01
    d.line("B", "2022-10-01", "89001C", patient="P2", tooth="11")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s8"] == 50 and v["A"]["s9"] == 0 and v["A"]["s10"] == 50
    assert v["A"]["s19"] == 50 and v["A"]["s20"] == 50 and v["A"]["s21"] == 100


def test_refill_window_1095_vs_1096_days_s19_s20(tmp_path):
    d = base("A", "B")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="21")
    d.line("B", "2021-10-02", "89001C", patient="P1", tooth="21")  # 1095 days
    d.line("A", "2024-10-01", "89001C", patient="P2", tooth="21")
    d.line("B", "2021-10-01", "89001C", patient="P2", tooth="21")  # 1096 days
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s20"] == 50 and v["A"]["s19"] == 0 and v["A"]["s9"] == 0


def test_most_recent_earlier_date_decides_same_or_other_contract_s8_s9(tmp_path):
    d = base("A", "B")
    d.line("A", "2023-01-10", "89001C", patient="P1", tooth="36")
    d.line("B", "2024-03-10", "89002C", patient="P1", tooth="36")  # most recent: other clinic
    d.line("A", "2024-11-10", "89001C", patient="P1", tooth="36")
    d.line("B", "2023-01-10", "89001C", patient="P2", tooth="36")
    d.line("A", "2024-03-10", "89001C", patient="P2", tooth="36")  # most recent: same clinic
    d.line("A", "2024-11-10", "89001C", patient="P2", tooth="36")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s8"] == 50 and v["A"]["s9"] == 50


def test_same_day_lines_at_two_clinics_on_the_deciding_date_tie_break(tmp_path):
    """Earlier OD lines of the same day at A and B: for A's refill "an OD line of that date is at
    the same clinic" → s8; for C's refill → s9. No clinic order is involved."""
    d = base("A", "B", "C")
    d.line("A", "2024-05-01", "89001C", patient="P1", tooth="46")
    d.line("B", "2024-05-01", "89001C", patient="P1", tooth="46")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="46")
    d.line("B", "2024-10-01", "89001C", patient="P9", tooth="46")
    d.line("C", "2024-12-01", "89001C", patient="P1", tooth="46")
    v, _ = indicators(d, tmp_path)
    assert (v["A"]["s8"], v["A"]["s9"]) == (100, 0)
    # C's most recent earlier date is 2024-10-01 (A) → other
    assert (v["C"]["s8"], v["C"]["s9"]) == (0, 100)


def test_same_day_lines_are_not_refills_of_each_other_strictly_earlier(tmp_path):
    d = base("A", "B")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="11")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="11")
    d.line("B", "2024-10-01", "89001C", patient="P1", tooth="11")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s10"] == 0 and v["B"]["s10"] == 0 and v["A"]["od_teeth"] == 2


def test_each_od_line_counts_and_quantity_is_ignored_reading_16(tmp_path):
    d = base("A")
    d.line("A", "2024-01-01", "89001C", patient="P1", tooth="11")
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="11", quantity=3, surfaces=3)
    d.line("A", "2024-10-01", "89001C", patient="P1", tooth="11", surfaces=1)
    d.line("A", "2024-10-01", "89001C", patient="P2", tooth="12", quantity=5, surfaces=2)
    v, _ = indicators(d, tmp_path)
    assert v["A"]["od_teeth"] == 3 and v["A"]["s7"] == 2 and v["A"]["s8"] == F(200, 3)
    assert v["A"]["s5"] == F(3, 2) and v["A"]["s6"] == F(3, 2)


# --- points-based exclusions -------------------------------------------------------------------


def test_892xx_counts_points_minus_400_never_below_zero_and_stays_od_reading_9(tmp_path):
    d = base("A")
    d.line("A", "2024-10-01", "89201C", 1000, patient="P1", tooth="11", surfaces=2, quantity=2)
    d.line("A", "2024-10-01", "89202C", 300, patient="P1", tooth="12", surfaces=4)
    d.line("A", "2024-10-01", "01271C", 400, patient="P1")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s3"] == F(600 * 100, 1000)
    assert v["A"]["od_teeth"] == 2 and v["A"]["s7"] == 3
    assert v["A"]["s1"] == 1000


def test_p3601c_counts_zero_points_but_stays_for_cases_and_patients_reading_10(tmp_path):
    d = base("A")
    d.line("A", "2024-10-01", "01271C", 1000, patient="P1")
    d.line("A", "2024-10-02", "P3601C", 5000, patient="P2")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s2"] == 500 and v["A"]["avg_case_points"] == 500 and v["A"]["s13"] == 1


def test_special_fund_and_child_exam_only_claims_are_not_cases_reading_4(tmp_path):
    d = base("A")
    d.line("A", "2024-10-01", "01271C", 600, patient="P1")
    d.line("A", "2024-10-01", "P7101C", 9000, patient="P2")
    d.line("A", "2024-10-01", "00121C", 300, patient="P3", birth="2020-01-01")
    c = d.line("A", "2024-10-01", "00121C", 300, patient="P4", birth="2015-01-01")
    d.line("A", "2024-10-01", "01271C", 600, patient="P4", claim=c)
    v, _ = indicators(d, tmp_path)
    # cases: P1, P4 → 2; patients 2; points 1200 (child exam dropped, special fund dropped)
    assert v["A"]["avg_case_points"] == 600 and v["A"]["s2"] == 600
    assert v["A"]["oral_exam"] == 0


@pytest.mark.parametrize(
    ("birth", "counted"), [("2011-10-01", True), ("2011-10-02", False), ("2012-02-29", False)]
)
def test_age_12_in_completed_years_birthday_on_its_calendar_day_reading_11(tmp_path, birth, counted):
    d = base("A")
    d.line("A", "2024-10-01", "00121C", 200, patient="P1", birth=birth)  # 13th birthday if 2011-10-01
    d.line("A", "2024-10-01", "01271C", 200, patient="P2")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["oral_exam"] == (50 if counted else 0)


def test_oral_exam_codes_parameter_list(tmp_path):
    d = base("A")
    d.line("A", "2024-10-01", "00122C", 200, patient="P1")
    d.line("A", "2024-10-01", "01271C", 200, patient="P2")
    v, res = indicators(d, tmp_path, params={"oral_exam_codes": "00121C,00122C"})
    assert v["A"]["oral_exam"] == 50
    assert res.run["parameters"]["oral_exam_codes"] == ["00121C", "00122C"]


# --- s14, s17 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "hit"), [("2024-04-04", True), ("2024-04-03", False), ("2024-10-01", False)]
)
def test_rescaling_window_1_to_180_days_any_clinic_reading_7(tmp_path, earlier, hit):
    d = base("A", "B")
    d.line("B", earlier, "91003C", 600, patient="P1")
    d.line("A", "2024-10-01", "91004C", 600, patient="P1")  # 2024-10-01 − 2024-04-04 = 180 days
    d.line("A", "2024-10-01", "91003C", 600, patient="P2")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s14"] == (50 if hit else 0)
    assert v["A"]["s27"] == 100


def test_pre_extraction_points_same_clinic_same_tooth_reading_8(tmp_path):
    d = base("A", "B")
    d.line("A", "2024-06-01", "90015C", 1000, patient="P1", tooth="36")  # 153 days before: counts
    d.line("A", "2024-06-01", "89201C", 900, patient="P1", tooth="36")  # 892xx → 500
    d.line("A", "2024-06-01", "P7101C", 900, patient="P1", tooth="36")  # special fund: dropped
    d.line("A", "2024-05-01", "90001C", 777, patient="P1", tooth="36")  # 184 days: outside
    d.line("B", "2024-07-01", "90001C", 5000, patient="P1", tooth="36")  # other clinic
    d.line("A", "2024-07-01", "90001C", 5000, patient="P1", tooth="37")  # other tooth
    d.line("A", "2024-11-01", "92013C", 1200, patient="P1", tooth="36")
    d.line("A", "2024-11-01", "92014C", 1200, patient="P2", tooth="11")  # no earlier line → 0
    d.line("A", "2024-11-02", "92015C", 1200, patient="P3")  # no tooth → 0
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s17"] == F(1500, 3)


# --- code sets ---------------------------------------------------------------------------------


def test_code_sets_exactly_as_listed_reading_18(tmp_path):
    d = base("A")
    d.line("A", "2024-10-01", "90015C", 1000, patient="P1", tooth="11")
    d.line("A", "2024-10-01", "90001C", 1000, patient="P1", tooth="11")
    d.line("A", "2024-10-01", "90009C", 1000, patient="P1", tooth="11")
    d.line("A", "2024-10-01", "90091C", 1000, patient="P1", tooth="12")
    d.line("A", "2024-10-01", "90005C", 1000, patient="P1", tooth="12")  # ENDO for s11 only
    d.line("A", "2024-10-01", "92013C", 1000, patient="P1", tooth="13")  # not difficult
    d.line("A", "2024-10-01", "92014C", 1000, patient="P1", tooth="14")
    d.line("A", "2024-10-01", "P4001C", 1000, patient="P1")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s25"] == F(5 * 100, 8)  # 90015C 90001C 90009C 90091C 92014C
    assert v["A"]["s23"] == 100  # 90091C / rcf(90001C); 90009C not counted
    assert v["A"]["s11"] == F(3 * 100, 8)  # 5 ENDO lines
    assert v["A"]["s12"] == 0
    assert v["A"]["s2"] == 7000


def test_s1_is_the_max_doctor_month_of_point_based_q_points(tmp_path):
    d = base("A")
    d.doctor("D2")
    d.line("A", "2024-10-01", "01271C", 300_000)
    d.line("A", "2024-10-31", "01271C", 100_000)
    d.line("A", "2024-11-01", "01271C", 350_000)
    d.line("A", "2024-10-05", "01271C", 390_000, doctor="D2")
    d.line("A", "2024-10-05", "89201C", 20_400, doctor="D2", tooth="11")
    d.line("A", "2024-10-05", "P7302C", 90_000, doctor="D2")
    v, _ = indicators(d, tmp_path)
    assert v["A"]["s1"] == 410_000


# --- clinics, populations, facts ---------------------------------------------------------------


def test_clinic_without_od_lines_has_od_teeth_0_and_is_ranked_reading_12(tmp_path):
    d = base("A", "B")
    d.line("A", "2024-10-01", "01271C")
    d.line("B", "2024-10-01", "89001C", tooth="11")
    s = scored(d, tmp_path)
    assert s["A"].values["od_teeth"] == 0 and s["A"].ranks["od_teeth"] == 50
    assert s["A"].values["s7"] is None and s["A"].ranks["s7"] is None


def test_region_clinic_without_q_lines_is_warned_and_left_out_reading_19(tmp_path):
    d = base("A", "B")
    d.clinic("N", region="north")
    d.line("A", "2024-10-01", "01271C")
    d.line("B", "2024-07-01", "01271C")
    d.line("B", "2024-10-01", "P7101C")  # special fund only: no Q line
    d.line("N", "2024-10-01", "01271C")
    res = pipeline.score(d.write(tmp_path / "data"), "2024Q4")
    assert [s.clinic_id for s in res.scores] == ["A"]
    assert any(w.startswith("B:") and "reading 19" in w for w in res.warnings)


def test_clinic_quarter_other_quarters_ignored_and_missing_row_defaults_reading_17(tmp_path):
    d = Data()
    d.clinic("A", quarter="2024Q3", sessions=50, outreach=20, unimproved=True)
    d.clinic("B", sessions=50)
    d.line("A", "2024-10-01", "01271C", 1000)
    d.line("B", "2024-10-01", "01271C", 1000)
    res = pipeline.score(d.write(tmp_path / "data"), "2024Q4")
    s = res.by_clinic()
    assert not s["A"].excluded and s["A"].rule_points["r11"] == 0 and s["A"].rule_points["r6_4"] == 0
    assert s["B"].excluded
    assert any(w.startswith("A:") and "reading 17" in w for w in res.warnings)


def test_new_clinic_from_opened_on_reading_14(tmp_path):
    d = Data()
    d.clinic("A", opened_on="2024-01-02")  # 364 days before 2024-12-31
    d.clinic("B", opened_on="2024-01-01")  # 365 days
    d.line("A", "2024-10-01", "01271C", 400_001)
    d.line("B", "2024-10-01", "01271C", 400_001)
    s = scored(d, tmp_path)
    assert s["A"].rule_points["r3_3"] == 2 and s["B"].rule_points["r3_3"] == 0


# --- cross-region support ----------------------------------------------------------------------


def cross_data() -> Data:
    d = base("A", "B", "C")
    d.clinic("N", region="north")
    d.doctor("X", home_region="north")
    d.doctor("S", home_region="north", specialist=True)
    d.doctor("H", home_region="south")
    return d


def test_cross_region_t_counts_every_line_without_exclusions_reading_3(tmp_path):
    d = cross_data()
    d.line("A", "2024-10-01", "P7101C", 50_000, doctor="X")
    d.line("A", "2024-10-02", "00121C", 30_000, doctor="X", birth="2020-01-01")
    d.line("B", "2024-10-03", "89201C", 20_001, doctor="X", tooth="11")
    d.line("N", "2024-10-03", "01271C", 90_000, doctor="X")  # other region: not in T
    d.line("A", "2024-10-04", "01271C", 100)
    d.line("B", "2024-10-04", "01271C", 100)
    s = scored(d, tmp_path)
    # T = 100,001 > 100,000 → 3 for A and B (both claimed that month)
    assert s["A"].rule_points["r5_5"] == 3 and s["B"].rule_points["r5_5"] == 3
    assert s["A"].values["s29"] == 100_001


def test_cross_region_per_month_and_only_where_claimed_specialists_excluded_reading_15(tmp_path):
    d = cross_data()
    d.line("A", "2024-10-01", "01271C", 160_000, doctor="X")
    d.line("B", "2024-11-01", "01271C", 120_000, doctor="X")
    d.line("C", "2024-10-01", "01271C", 500_000, doctor="S")  # specialist
    d.line("C", "2024-10-02", "01271C", 500_000, doctor="H")  # home region
    s = scored(d, tmp_path)
    assert s["A"].rule_points["r5_5"] == 4
    assert s["B"].rule_points["r5_5"] == 3
    assert s["C"].rule_points["r5_5"] == 0 and s["C"].values["s29"] is None


def test_csv_and_parquet_inputs_give_the_same_scores(tmp_path):
    d = cross_data()
    d.line("A", "2024-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("B", "2023-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("A", "2024-10-01", "01271C", 160_000, doctor="X")
    d.line("C", "2024-12-01", "91003C", 600, patient="P7")
    a = pipeline.score_rows(pipeline.score(d.write(tmp_path / "csv", "csv"), "2024Q4"))
    b = pipeline.score_rows(pipeline.score(d.write(tmp_path / "pq", "parquet"), "113Q4"))
    assert a == b
