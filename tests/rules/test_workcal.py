"""The working-day calendar: weekends, national holidays, make-up workdays, typhoon closures."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingjian.rules.errors import CalendarError
from pingjian.rules.workcal import Closure, WorkingDayCalendar, load_directory, normalise_county


@pytest.fixture(scope="module")
def cal():
    return WorkingDayCalendar.load()


def test_weekdays_work_and_weekends_rest(cal):
    assert cal.is_workday(date(2023, 6, 8))  # Thursday
    assert not cal.is_workday(date(2023, 6, 10))  # Saturday
    assert not cal.is_workday(date(2023, 6, 11))  # Sunday


def test_make_up_saturday_is_a_workday(cal):
    """補行上班: 2023-01-07 and 2023-02-18 are Saturdays on which government offices work."""
    assert cal.is_workday(date(2023, 1, 7))
    assert cal.is_workday(date(2023, 2, 18))
    assert not cal.is_workday(date(2023, 1, 14))


def test_national_holidays_and_bridge_days_rest(cal):
    assert not cal.is_workday(date(2023, 6, 22))  # 端午節
    assert not cal.is_workday(date(2023, 6, 23))  # 調整放假
    assert not cal.is_workday(date(2024, 2, 8))  # 小年夜
    assert not cal.is_workday(date(2026, 5, 1))  # 勞動節, a government day off from 2026


def test_rest_reason_names_the_holiday_or_the_weekday(cal):
    assert cal.rest_reason(date(2023, 6, 22)) == "端午節"
    assert cal.rest_reason(date(2023, 6, 24)) == "星期六"
    assert cal.rest_reason(date(2023, 6, 25)) == "星期日"
    assert cal.rest_reason(date(2023, 6, 26)) is None


def test_next_workday_is_strictly_after(cal):
    assert cal.next_workday(date(2023, 6, 8)) == date(2023, 6, 9)
    assert cal.next_workday(date(2023, 6, 21)) == date(2023, 6, 26)  # over 端午 and the weekend
    assert cal.next_workday(date(2023, 1, 6)) == date(2023, 1, 7)  # make-up Saturday
    assert cal.workday_on_or_after(date(2023, 6, 8)) == date(2023, 6, 8)
    assert cal.workday_on_or_after(date(2023, 6, 24)) == date(2023, 6, 26)
    assert cal.previous_workday(date(2023, 6, 26)) == date(2023, 6, 21)


def test_nth_workday_after_skips_start_and_rest_days(cal):
    assert cal.nth_workday_after(date(2023, 6, 8), 1) == date(2023, 6, 9)
    assert cal.nth_workday_after(date(2023, 6, 8), 5) == date(2023, 6, 15)
    # 2023-01-20 … 01-29 春節 block: the 1st working day after 01-19 is 01-30
    assert cal.nth_workday_after(date(2023, 1, 19), 1) == date(2023, 1, 30)
    # across the 2022/2023 year end (2023-01-02 補假)
    assert cal.nth_workday_after(date(2022, 12, 30), 1) == date(2023, 1, 3)


def test_nth_workday_after_counts_a_make_up_saturday(cal):
    # 2023-06-13 (Tue): 14, 15, 16, 17 (補行上班 Sat), 19
    assert cal.nth_workday_after(date(2023, 6, 13), 4) == date(2023, 6, 17)
    assert cal.nth_workday_after(date(2023, 6, 13), 5) == date(2023, 6, 19)


def test_nth_workday_after_refuses_zero_and_negative(cal):
    with pytest.raises(CalendarError, match="at least 1"):
        cal.nth_workday_after(date(2023, 6, 8), 0)


def test_workdays_between_counts_the_half_open_range(cal):
    assert cal.workdays_between(date(2023, 6, 8), date(2023, 6, 15)) == 5
    assert cal.workdays_between(date(2023, 6, 8), date(2023, 6, 8)) == 0
    assert cal.workdays_between(date(2023, 1, 19), date(2023, 1, 29)) == 0
    # the DGPA 112 calendar has 249 days with 是否放假 = 0
    assert cal.workdays_between(date(2022, 12, 31), date(2023, 12, 31)) == 249
    with pytest.raises(CalendarError, match="before"):
        cal.workdays_between(date(2023, 6, 15), date(2023, 6, 8))


def test_a_year_not_loaded_is_an_error_naming_the_year(cal):
    """Contract: a year not loaded is an error, never a silent guess (2017 and 2028 have no file)."""
    with pytest.raises(CalendarError, match="2017"):
        cal.is_workday(date(2017, 3, 1))
    with pytest.raises(CalendarError, match="2028"):
        cal.is_workday(date(2028, 1, 3))
    with pytest.raises(CalendarError, match="2017"):
        cal.previous_workday(date(2018, 1, 1))
    with pytest.raises(CalendarError, match="2028"):
        cal.nth_workday_after(date(2027, 12, 30), 5)


def test_deadlines_in_2018_and_2021_answer_issue_21():
    """Issue 21 item 7: the psych-rehab-107 cycle (2018) and a deadline through 2021 (110)."""
    calendar = WorkingDayCalendar.load()
    assert calendar.nth_workday_after(date(2018, 6, 8), 5) == date(2018, 6, 15)  # 6/18 端午 after
    assert calendar.nth_workday_after(date(2018, 3, 30), 1) == date(2018, 3, 31)  # 補行上班
    assert calendar.nth_workday_after(date(2021, 2, 9), 1) == date(2021, 2, 17)  # 春節, 調整放假
    assert calendar.is_workday(date(2021, 2, 20))  # 補行上班


def test_typhoon_closure_makes_the_day_a_rest_day_for_that_county_only(cal):
    closed = cal.with_closures([Closure(date(2023, 7, 27), "高雄市", "杜蘇芮颱風")])
    assert not closed.is_workday(date(2023, 7, 27), county="高雄市")
    assert closed.is_workday(date(2023, 7, 27), county="臺北市")
    assert closed.is_workday(date(2023, 7, 27))  # no county: the national calendar
    assert closed.rest_reason(date(2023, 7, 27), "高雄市") == "停止上班（高雄市，杜蘇芮颱風）"
    assert closed.next_workday(date(2023, 7, 26), county="高雄市") == date(2023, 7, 28)
    assert cal.is_workday(date(2023, 7, 27), county="高雄市")  # the original is unchanged


def test_closure_county_names_match_with_tai_variants(cal):
    closed = WorkingDayCalendar.load(closures=[Closure(date(2023, 9, 4), "台北市")])
    assert not closed.is_workday(date(2023, 9, 4), county="臺北市")
    assert not closed.is_workday(date(2023, 9, 4), county=" 台北市 ")
    assert normalise_county("台中市") == "臺中市"


def test_closure_on_a_make_up_saturday_closes_it(cal):
    closed = cal.with_closures([Closure(date(2023, 9, 23), "臺東縣")])
    assert not closed.is_workday(date(2023, 9, 23), county="臺東縣")
    assert closed.is_workday(date(2023, 9, 23), county="花蓮縣")


def test_bad_calendar_file_is_an_error_naming_the_file_and_row(tmp_path):
    (tmp_path / "tw-2023.csv").write_text("date,kind,name\n2023-01-02,holday,補假\n", "utf-8")
    with pytest.raises(CalendarError, match=r"tw-2023\.csv row 2: kind 'holday'"):
        load_directory(tmp_path)


def test_calendar_file_with_a_date_of_another_year_is_refused(tmp_path):
    (tmp_path / "tw-2023.csv").write_text("date,kind,name\n2024-01-01,holiday,開國紀念日\n", "utf-8")
    with pytest.raises(CalendarError, match=r"tw-2023\.csv row 2"):
        load_directory(tmp_path)


def test_make_up_workday_on_a_weekday_is_refused(tmp_path):
    (tmp_path / "tw-2023.csv").write_text("date,kind,name\n2023-01-05,makeup_workday,補行上班\n", "utf-8")
    with pytest.raises(CalendarError, match="weekday"):
        load_directory(tmp_path)


def test_empty_calendar_directory_is_refused(tmp_path):
    with pytest.raises(CalendarError, match=r"no tw-YYYY\.csv"):
        load_directory(tmp_path)


def test_data_files_are_read_once():
    assert load_directory() is load_directory()


DATES = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 10, 31))


@given(DATES, st.integers(min_value=1, max_value=40))
def test_nth_workday_after_is_strictly_increasing_in_n_and_always_a_workday(start, n):
    cal = WorkingDayCalendar.load()
    first = cal.nth_workday_after(start, n)
    second = cal.nth_workday_after(start, n + 1)
    assert start < first < second
    assert cal.is_workday(first) and cal.is_workday(second)
    assert cal.workdays_between(start, first) == n
    assert all(not cal.is_workday(first + timedelta(days=k)) for k in range(1, (second - first).days))


@given(st.dates(min_value=date(2022, 1, 15), max_value=date(2027, 10, 31)))
def test_next_workday_is_the_first_nth_workday(start):
    cal = WorkingDayCalendar.load()
    assert cal.next_workday(start) == cal.nth_workday_after(start, 1)
    assert cal.previous_workday(cal.next_workday(start)) <= start
