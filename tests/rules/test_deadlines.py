"""Deadlines: 行政程序法第48條, 民法第120條至第122條, and the seed rules built on them."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingjian.rules.deadlines import (
    administrative_deadline,
    appeal_due,
    civil_deadline,
    deadline,
    evidence_due,
    months_before,
    nth_workday,
    supplement_due,
)
from pingjian.rules.errors import CalendarError
from pingjian.rules.workcal import Closure, WorkingDayCalendar


@pytest.fixture(scope="module")
def cal():
    return WorkingDayCalendar.load()


# -- 行政程序法第48條 -------------------------------------------------------------------------


def test_art48_ii_start_day_not_counted_last_day_is_start_plus_days(cal):
    """行政程序法第48條第2項: 始日不計算在內 — 2023-05-31 + 14 days ends on Wed 2023-06-14."""
    result = administrative_deadline(date(2023, 5, 31), 14, cal)
    assert result.due == date(2023, 6, 14)
    assert result.nominal == date(2023, 6, 14)
    assert not result.moved
    assert (
        result.explanation
        == "依行政程序法第48條，自112年5月31日之次日起算14日，末日為112年6月14日（星期三）。"
    )


def test_art48_iv_last_day_on_sunday_moves_to_the_next_day(cal):
    """行政程序法第48條第4項: 末日為星期日 → 以該日之次日為期間之末日."""
    result = administrative_deadline(date(2023, 12, 24), 14, cal)
    assert result.nominal == date(2024, 1, 7)  # Sunday
    assert result.due == date(2024, 1, 8)
    assert not result.morning_only


def test_art48_iv_last_day_on_saturday_moves_to_monday_morning(cal):
    """行政程序法第48條第4項: 末日為星期六者，以其次星期一上午為期間末日."""
    result = administrative_deadline(date(2023, 6, 10), 14, cal)
    assert result.nominal == date(2023, 6, 24)  # Saturday
    assert result.due == date(2023, 6, 26)
    assert result.morning_only
    assert "以其次星期一上午為期間末日" in result.explanation
    assert result.explanation.endswith("末日為112年6月26日（星期一）上午。")


def test_art48_iv_saturday_before_a_monday_holiday_moves_to_the_next_working_day(cal):
    """行政程序法第48條第4項: Saturday 2024-06-08 → Monday 06-10 is 端午節 → Tuesday 06-11."""
    result = administrative_deadline(date(2024, 5, 25), 14, cal)
    assert result.nominal == date(2024, 6, 8)
    assert result.due == date(2024, 6, 11)
    assert not result.morning_only
    assert [day for day, _ in result.passed_over] == [date(2024, 6, 8), date(2024, 6, 10)]


def test_art48_iv_saturday_before_a_four_day_weekend_2023_children_day(cal):
    """行政程序法第48條第4項: Sat 2023-04-01 → Mon 04-03 調整放假, 04-04, 04-05 → Thu 04-06."""
    assert administrative_deadline(date(2023, 3, 18), 14, cal).due == date(2023, 4, 6)


def test_art48_iv_make_up_saturday_is_a_working_day_and_the_deadline_stays(cal):
    """Contract: a make-up Saturday (補行上班) counts as a workday — 2023-01-07 and 2023-02-18."""
    result = administrative_deadline(date(2022, 12, 24), 14, cal)
    assert result.due == date(2023, 1, 7)
    assert not result.moved
    assert administrative_deadline(date(2023, 2, 8), 10, cal).due == date(2023, 2, 18)
    assert administrative_deadline(date(2023, 6, 2), 15, cal).due == date(2023, 6, 17)


def test_art48_iv_last_day_in_the_lunar_new_year_block_moves_past_it(cal):
    """行政程序法第48條第4項 on 春節 2023: 01-20 小年夜 … 01-29 → Monday 2023-01-30.

    The chain reaches Saturday 01-28 from the holiday clause, then moves to Monday morning.
    """
    result = administrative_deadline(date(2023, 1, 13), 7, cal)
    assert result.nominal == date(2023, 1, 20)
    assert result.due == date(2023, 1, 30)
    assert result.morning_only
    assert result.passed_over[0] == (date(2023, 1, 20), "小年夜")


def test_art48_iv_lunar_new_year_2024_through_a_holiday_saturday(cal):
    """行政程序法第48條第4項 on 春節 2024: 02-08 小年夜 … 02-14 補假 → Thursday 2024-02-15;
    Saturday 02-10 is itself 春節, so it moves by the holiday clause (whole day, not morning)."""
    result = administrative_deadline(date(2024, 2, 1), 7, cal)
    assert result.due == date(2024, 2, 15)
    assert not result.morning_only


def test_art48_iv_holiday_saturday_mid_autumn_2022_moves_to_monday_whole_day(cal):
    """行政程序法第48條第4項: 中秋節 on Saturday 2022-09-10 → Monday 09-12, whole day."""
    result = administrative_deadline(date(2022, 8, 27), 14, cal)
    assert result.due == date(2022, 9, 12)
    assert not result.morning_only
    assert result.passed_over[0] == (date(2022, 9, 10), "中秋節")


def test_art48_ten_days_spanning_mid_autumn_and_national_day_2023(cal):
    """行政程序法第48條: holidays inside a period do not lengthen it; only the last day moves.

    From 中秋節 (Fri 2023-09-29), 10 days end on 10-09 (調整放假), then 10-10 國慶日 → 10-11.
    From 2023-09-22, 10 days over 中秋節 end on Monday 10-02, a working day: no move.
    """
    assert administrative_deadline(date(2023, 9, 29), 10, cal).due == date(2023, 10, 11)
    assert administrative_deadline(date(2023, 9, 28), 10, cal).due == date(2023, 10, 11)
    assert administrative_deadline(date(2023, 9, 22), 10, cal).due == date(2023, 10, 2)


def test_art48_iv_typhoon_closure_of_the_county_is_another_rest_day(cal):
    """行政程序法第48條第4項 其他休息日: a county's 停止上班 day moves that county's deadline."""
    closed = cal.with_closures([Closure(date(2023, 7, 27), "高雄市")])
    assert administrative_deadline(date(2023, 7, 13), 14, closed, county="高雄市").due == date(2023, 7, 28)
    assert administrative_deadline(date(2023, 7, 13), 14, closed, county="臺北市").due == date(2023, 7, 27)
    assert administrative_deadline(date(2023, 7, 13), 14, closed).due == date(2023, 7, 27)


def test_art48_iv_closure_on_the_monday_after_a_saturday_moves_to_tuesday(cal):
    closed = cal.with_closures([Closure(date(2023, 6, 26), "花蓮縣")])
    result = administrative_deadline(date(2023, 6, 10), 14, closed, county="花蓮縣")
    assert result.due == date(2023, 6, 27)
    assert not result.morning_only


def test_administrative_deadline_zero_days_is_start_itself_moved_if_resting(cal):
    assert administrative_deadline(date(2023, 6, 8), 0, cal).due == date(2023, 6, 8)
    assert administrative_deadline(date(2023, 6, 22), 0, cal).due == date(2023, 6, 26)


def test_negative_days_is_an_error_naming_the_value(cal):
    with pytest.raises(CalendarError, match="-3"):
        administrative_deadline(date(2023, 6, 8), -3, cal)
    with pytest.raises(CalendarError, match="-1"):
        civil_deadline(date(2023, 6, 8), -1, cal)


def test_deadline_into_a_year_not_loaded_is_an_error_naming_the_year(cal):
    with pytest.raises(CalendarError, match="2028"):
        administrative_deadline(date(2027, 12, 25), 14, cal)
    with pytest.raises(CalendarError, match="2017"):
        civil_deadline(date(2016, 12, 20), 14, cal)


# -- 民法第120條至第122條 ---------------------------------------------------------------------


def test_civil_art120_ii_121_start_not_counted_ends_at_end_of_last_day(cal):
    """民法第120條第2項、第121條第1項: 2023-05-31 + 14 → end of Wednesday 2023-06-14."""
    result = civil_deadline(date(2023, 5, 31), 14, cal)
    assert result.due == date(2023, 6, 14)
    assert "以期間末日之終止為期間之終止" in result.explanation


def test_civil_art122_saturday_is_a_rest_day_replaced_by_the_next_working_day(cal):
    """民法第122條 (our reading): an ordinary Saturday is a 休息日; Sat 06-24 → Mon 06-26,
    the whole day (§122 has no Monday-morning clause)."""
    result = civil_deadline(date(2023, 6, 10), 14, cal)
    assert result.due == date(2023, 6, 26)
    assert not result.morning_only


def test_civil_art122_make_up_saturday_is_not_a_rest_day(cal):
    """民法第122條 (our reading): 補行上班日 is a working day, not a 休息日: 2023-01-07 stays."""
    assert civil_deadline(date(2022, 12, 24), 14, cal).due == date(2023, 1, 7)


def test_civil_art122_sunday_and_commemoration_day_are_replaced(cal):
    """民法第122條: 星期日 and 紀念日 → next day; 2023-02-26 (Sun) → 02-27 調整放假 → 02-28 和平紀念日
    → 2023-03-01."""
    result = civil_deadline(date(2023, 2, 12), 14, cal)
    assert result.nominal == date(2023, 2, 26)
    assert result.due == date(2023, 3, 1)


def test_civil_art122_dragon_boat_2023(cal):
    """民法第122條: 端午節 Thu 2023-06-22, 06-23 調整放假, weekend → Monday 2023-06-26."""
    result = civil_deadline(date(2023, 6, 8), 14, cal)
    assert result.due == date(2023, 6, 26)
    assert "以其次日代之" in result.explanation


def test_deadline_dispatches_on_regime_and_refuses_unknown(cal):
    assert deadline(date(2023, 6, 8), 14, "administrative", cal).regime == "administrative"
    assert deadline(date(2023, 6, 8), 14, "civil", cal).regime == "civil"
    with pytest.raises(CalendarError, match="'criminal'"):
        deadline(date(2023, 6, 8), 14, "criminal", cal)


# -- seed rules -------------------------------------------------------------------------------


def test_seed_002_s12_appeal_within_14_days_from_the_day_after_receipt(cal):
    """Seed 002 §十二(一): 應自收受通知之次日起14日內提出申復 — received 2023-06-08; 06-22
    端午節 → Monday 2023-06-26 (the contract's example date)."""
    result = appeal_due(date(2023, 6, 8), cal)
    assert result.due == date(2023, 6, 26)
    assert "seed 002 §十二" in result.reference
    assert result.explanation.startswith(
        "申復期間依評鑑作業程序第十二點及行政程序法第48條，自收受通知（112年6月8日）之次日起算14日，"
    )
    assert "末日為112年6月26日（星期一）" in result.explanation


def test_seed_002_s12_appeal_on_a_plain_week(cal):
    """Seed 002 §十二(一): received Tue 2022-11-01 → Tue 2022-11-15."""
    assert appeal_due(date(2022, 11, 1), cal).due == date(2022, 11, 15)


def test_seed_001_supplement_within_5_working_days(cal):
    """Seed 001 資格審查: 若不完整則須於5個工作天內完成補件 — notified Thu 2023-06-08 → Thu 06-15."""
    result = supplement_due(date(2023, 6, 8), cal)
    assert result.due == date(2023, 6, 15)
    assert "seed 001" in result.reference
    assert result.explanation == (
        "書面資料不完整者須於5個工作天內完成補件：自通知（112年6月8日）之次日起算第5個上班日，"
        "末日為112年6月15日（星期四）。"
    )


def test_seed_001_supplement_skips_holidays_and_counts_make_up_saturdays(cal):
    """Seed 001 資格審查: 5 working days over 端午 2023 (06-22/23 off) → 2023-06-28; over the
    make-up Saturday 2023-06-17 → 2023-06-19."""
    assert supplement_due(date(2023, 6, 19), cal).due == date(2023, 6, 28)
    assert supplement_due(date(2023, 6, 13), cal).due == date(2023, 6, 19)


def test_seed_001_evidence_one_month_before_the_visit(cal):
    """Seed 001 繳交資料: 受評機構須於實地訪視當日前1個月繳交申報資料 — visit 2023-09-15 → 08-15."""
    result = evidence_due(date(2023, 9, 15), cal)
    assert result.due == date(2023, 8, 15)
    assert "seed 001" in result.reference


def test_seed_001_evidence_month_without_that_day_uses_its_last_day(cal):
    """Seed 001 繳交資料: visit 2024-03-31 → 2024-02-29 (leap year), a working day."""
    assert evidence_due(date(2024, 3, 31), cal).due == date(2024, 2, 29)
    assert months_before(date(2023, 3, 31), 1) == date(2023, 2, 28)
    assert months_before(date(2023, 1, 15), 1) == date(2022, 12, 15)


def test_seed_001_evidence_day_off_moves_to_the_previous_working_day(cal):
    """Seed 001 繳交資料 (our reading: keep the full month's lead): visit 2023-03-31 → 02-28
    和平紀念日 → 02-27 調整放假 → weekend → Friday 2023-02-24; visit 2023-10-10 → Sun 09-10 →
    Fri 2023-09-08."""
    result = evidence_due(date(2023, 3, 31), cal)
    assert result.nominal == date(2023, 2, 28)
    assert result.due == date(2023, 2, 24)
    assert "提前至前一上班日" in result.explanation
    assert evidence_due(date(2023, 10, 10), cal).due == date(2023, 9, 8)


def test_seed_001_evidence_make_up_saturday_stays(cal):
    """Seed 001 繳交資料: visit 2023-07-17 → 2023-06-17, a make-up Saturday: a working day."""
    assert evidence_due(date(2023, 7, 17), cal).due == date(2023, 6, 17)


def test_nth_workday_explains_itself(cal):
    result = nth_workday(date(2023, 6, 8), 5, cal)
    assert result.due == date(2023, 6, 15)
    assert result.explanation == "自112年6月8日之次日起算第5個上班日為112年6月15日（星期四）。"


# -- properties -------------------------------------------------------------------------------

STARTS = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31))
DAYS = st.integers(min_value=0, max_value=300)


@given(STARTS, DAYS)
def test_property_art48_deadline_never_before_start_plus_days_and_always_a_working_day(start, days):
    """行政程序法第48條: the last day is START + DAYS or later, and a working day (a Saturday
    moves to Monday; the regime has no exception that leaves it on a rest day)."""
    cal = WorkingDayCalendar.load()
    result = administrative_deadline(start, days, cal)
    assert result.due >= start + timedelta(days=days)
    assert cal.is_workday(result.due)
    assert (result.due - result.nominal).days <= 12  # the longest rest block is 春節


@given(STARTS, DAYS)
def test_property_civil_deadline_is_the_first_working_day_on_or_after_the_last_day(start, days):
    """民法第122條 (our reading): the last day is replaced by the next day while it is a 休息日."""
    cal = WorkingDayCalendar.load()
    result = civil_deadline(start, days, cal)
    assert result.due == cal.workday_on_or_after(start + timedelta(days=days))


@given(STARTS, DAYS)
def test_property_both_regimes_reach_the_same_day_without_make_up_sundays(start, days):
    """With no make-up Sunday in 2022–2027 and no closure, §48 and §122 give the same date
    (they differ only in §48's Monday-morning clause)."""
    cal = WorkingDayCalendar.load()
    assert administrative_deadline(start, days, cal).due == civil_deadline(start, days, cal).due


@given(STARTS, DAYS, st.sets(st.integers(min_value=0, max_value=320), max_size=20))
def test_property_art48_deadline_is_a_working_day_of_the_county_with_closures(start, days, offsets):
    cal = WorkingDayCalendar.load(closures=[Closure(start + timedelta(days=k), "臺南市") for k in offsets])
    result = administrative_deadline(start, days, cal, county="臺南市")
    assert result.due >= start + timedelta(days=days)
    assert cal.is_workday(result.due, county="臺南市")


@given(STARTS, st.integers(min_value=1, max_value=30))
def test_property_supplement_due_is_increasing_in_working_days(start, n):
    cal = WorkingDayCalendar.load()
    assert supplement_due(start, cal, working_days=n).due < supplement_due(start, cal, working_days=n + 1).due


@given(st.dates(min_value=date(2022, 3, 1), max_value=date(2027, 12, 31)))
def test_property_evidence_due_leaves_at_least_a_month_and_is_a_working_day(visit):
    cal = WorkingDayCalendar.load()
    result = evidence_due(visit, cal)
    assert result.due <= months_before(visit, 1) < visit
    assert cal.is_workday(result.due)
