"""ROC (民國) dates: reading every written form, writing them back, quarter labels."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import (
    Quarter,
    from_roc_year,
    parse_date,
    parse_quarter,
    parse_quarter_code,
    quarter_label,
    roc_date,
    roc_date_long,
    roc_quarter_label,
    to_gregorian_quarter,
    to_roc_quarter,
    to_roc_year,
    weekday_name,
)

SEED_001_LETTER_DATE = date(2023, 6, 8)  # seed 001: 發文日期：中華民國112年6月8日


@pytest.mark.parametrize(
    "text",
    [
        "112/06/08",
        "112/6/8",
        "112-06-08",
        "112.06.08",
        "112年6月8日",
        "112年06月08日",
        "民國112年6月8日",
        "中華民國112年6月8日",
        "中華民國 112 年 6 月 8 日",  # seed 002 writes dates with spaces: 111 年 12 月 31 日
        "1120608",
        "１１２／０６／０８",  # full-width digits and slash
        "１１２年６月８日",
        "2023-06-08",
        "2023/6/8",
        "20230608",  # the DGPA calendar CSVs' form
        "西元2023年6月8日",
        "2023年6月8日",
        "  112/06/08 ",
    ],
)
def test_parse_date_reads_every_written_form_of_the_seed_001_letter_date(text):
    assert parse_date(text) == SEED_001_LETTER_DATE


def test_parse_date_reads_seed_002_dates_as_written():
    assert parse_date("111 年 12 月 10 日") == date(2022, 12, 10)  # seed 002 §六(三)
    assert parse_date("111-12-10") == date(2022, 12, 10)  # contract: remediation deadline
    assert parse_date("112 年 1 月 1 日") == date(2023, 1, 1)  # seed 002 §十三(一)


def test_parse_date_reads_two_digit_roc_years_and_compact_six_and_seven_digits():
    assert parse_date("99/1/5") == date(2010, 1, 5)
    assert parse_date("990105") == date(2010, 1, 5)
    assert parse_date("0990105") == date(2010, 1, 5)
    assert parse_date("1/1/1") == date(1912, 1, 1)  # 民國1年


def test_parse_date_reads_years_before_the_republic():
    assert parse_date("民國前1年10月10日") == date(1911, 10, 10)
    assert parse_date("前1/10/10") == date(1911, 10, 10)
    assert parse_date("民國前12年1月1日") == date(1900, 1, 1)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", "''"),
        ("abc", "abc"),
        ("112/02/30", "112/02/30"),
        ("112/13/01", "112/13/01"),
        ("2023-02-29", "2023-02-29"),
        ("0/01/01", "0/01/01"),
        ("民國2023年1月1日", "民國2023年1月1日"),
        ("西元112年1月1日", "西元112年1月1日"),
        ("12345", "12345"),
        ("112/06-08", "112/06-08"),
        ("民國20230608", "民國20230608"),
    ],
)
def test_parse_date_refuses_unreadable_or_impossible_dates_naming_the_text(text, named):
    with pytest.raises(CalendarError, match=named):
        parse_date(text)


def test_parse_date_refuses_non_text():
    with pytest.raises(CalendarError):
        parse_date(20230608)  # type: ignore[arg-type]


def test_roc_date_formats_zero_padded_month_and_day():
    assert roc_date(date(2023, 6, 26)) == "112/06/26"
    assert roc_date(date(2010, 1, 5)) == "99/01/05"
    assert roc_date(date(1912, 1, 1)) == "1/01/01"


def test_roc_date_long_formats_without_padding():
    assert roc_date_long(date(2023, 6, 8)) == "112年6月8日"
    assert roc_date_long(date(2022, 12, 31)) == "111年12月31日"


def test_years_before_1912_are_written_min_guo_qian():
    assert roc_date_long(date(1911, 10, 10)) == "民國前1年10月10日"
    assert roc_date_long(date(1900, 1, 1)) == "民國前12年1月1日"
    assert roc_date(date(1911, 10, 10)) == "前1/10/10"


def test_roc_year_has_no_year_zero():
    assert to_roc_year(2023) == 112
    assert to_roc_year(1912) == 1
    assert to_roc_year(1911) == -1
    assert from_roc_year(112) == 2023
    assert from_roc_year(-1) == 1911
    with pytest.raises(CalendarError, match="0"):
        from_roc_year(0)


def test_weekday_name():
    assert weekday_name(date(2023, 6, 26)) == "星期一"
    assert weekday_name(date(2023, 6, 25)) == "星期日"


def test_quarter_labels_both_ways():
    assert to_roc_quarter("2024Q4") == "113Q4"
    assert to_gregorian_quarter("113Q4") == "2024Q4"
    assert to_roc_quarter("113q4") == "113Q4"
    assert to_gregorian_quarter("113年第4季") == "2024Q4"
    assert to_gregorian_quarter("１１３Ｑ１") == "2024Q1"
    assert parse_quarter("2024Q1") == (2024, 1)
    assert quarter_label(date(2024, 11, 30)) == "2024Q4"
    assert roc_quarter_label(date(2024, 11, 30)) == "113Q4"
    assert roc_quarter_label(date(2024, 1, 1)) == "113Q1"


@pytest.mark.parametrize("label", ["2024Q5", "113Q0", "0Q1", "Q4", "113", "2024-12"])
def test_bad_quarter_labels_are_refused_naming_the_label(label):
    with pytest.raises(CalendarError, match=label):
        parse_quarter(label)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(2910, 12, 31)))
def test_roc_date_and_roc_date_long_read_back_to_the_same_date(day):
    assert parse_date(roc_date(day)) == day
    assert parse_date(roc_date_long(day)) == day
    assert parse_date(day.isoformat()) == day


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(2910, 12, 31)))
def test_roc_quarter_labels_round_trip(day):
    assert to_gregorian_quarter(roc_quarter_label(day)) == quarter_label(day)
    assert to_roc_quarter(quarter_label(day)) == roc_quarter_label(day)


@pytest.mark.parametrize(("label", "year"), [("2024Q4", 2024), ("113Q4", 2024), (" 2024q4 ", 2024)])
def test_quarter_codes_read_the_compact_gregorian_and_roc_forms(label, year):
    assert parse_quarter_code(label) == (year, 4)


@pytest.mark.parametrize("label", ["2024-Q4", "113年第4季", "24Q4", "000Q1", "2024Q5", "", "2024 Q4"])
def test_quarter_codes_refuse_the_document_forms_and_bad_labels(label):
    with pytest.raises(CalendarError, match="cannot read quarter"):
        parse_quarter_code(label)


def test_quarter_first_and_last_days():
    assert (Quarter(2024, 1).start, Quarter(2024, 1).end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert (Quarter(2024, 4).start, Quarter(2024, 4).end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert Quarter.parse("113年第4季") == Quarter(2024, 4)
    assert str(Quarter(2024, 4)) == "2024Q4"


def test_quarter_shift_crosses_years_both_ways():
    assert Quarter(2024, 1).shift(-1) == Quarter(2023, 4)
    assert Quarter(2024, 4).shift(1) == Quarter(2025, 1)
    assert Quarter(2024, 4).shift(-12) == Quarter(2021, 4)
    assert Quarter(2024, 2).shift(0) == Quarter(2024, 2)


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(2900, 12, 31)), st.integers(-40, 40))
def test_quarter_shift_and_bounds_agree_with_quarter_labels(day, quarters):
    quarter = Quarter.parse(quarter_label(day))
    assert quarter.start <= day <= quarter.end
    shifted = quarter.shift(quarters)
    assert shifted.shift(-quarters) == quarter
    assert quarter_label(shifted.start) == str(shifted) == quarter_label(shifted.end)
