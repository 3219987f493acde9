"""The calendar data files: generated from the DGPA office calendars (taiwan-holidays), never by
hand, and checked day by day against an independent source (the `holidays` package's TW)."""

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from pingjian.rules.workcal import DATA_DIRECTORY, WorkingDayCalendar, load_directory

REPO = Path(__file__).resolve().parents[2]
# The years the DGPA CSVs shipped in taiwan-holidays 0.2027.0 cover: 108, 109, 111–116.
EXPECTED_YEARS = (2019, 2020, 2022, 2023, 2024, 2025, 2026, 2027)


def _build_module():
    spec = importlib.util.spec_from_file_location("build_calendar", REPO / "scripts" / "build_calendar.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_calendar"] = module
    spec.loader.exec_module(module)
    return module


def test_a_file_for_every_year_the_dgpa_source_covers_including_2022_to_2026():
    files = sorted(path.name for path in DATA_DIRECTORY.glob("tw-*.csv"))
    assert files == [f"tw-{year}.csv" for year in EXPECTED_YEARS]
    assert WorkingDayCalendar.load().years == EXPECTED_YEARS


def test_data_files_are_exactly_what_the_build_script_makes_from_the_dgpa_csvs(tmp_path):
    build_calendar = _build_module()
    assert build_calendar.main(["--output", str(tmp_path)]) == 0
    for path in [*DATA_DIRECTORY.glob("tw-*.csv"), DATA_DIRECTORY / "sources.json"]:
        assert (tmp_path / path.name).read_text("utf-8") == path.read_text("utf-8"), path.name
    assert build_calendar.main(["--check"]) == 0


def test_build_script_check_reports_a_hand_edited_file(tmp_path):
    build_calendar = _build_module()
    assert build_calendar.main(["--output", str(tmp_path)]) == 0
    edited = tmp_path / "tw-2023.csv"
    edited.write_text(edited.read_text("utf-8").replace("端午節", "端午"), "utf-8")
    assert build_calendar.main(["--check", "--output", str(tmp_path)]) == 1


@pytest.mark.parametrize("year", EXPECTED_YEARS)
def test_every_day_agrees_with_the_holidays_package(year):
    """web-stack.md §9: DGPA and holidays.TW agree on every day; `is_working_day` is the
    comparison (its `workday` category means commemorations without a day off, not 補班)."""
    calendar = WorkingDayCalendar.load()
    oracle = holidays.TW(years=year)
    day = date(year, 1, 1)
    mismatches = []
    while day.year == year:
        if calendar.is_workday(day) != oracle.is_working_day(day):
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize("year", EXPECTED_YEARS)
def test_make_up_workdays_are_exactly_the_holidays_package_weekend_workdays(year):
    listed = {day for day, entry in load_directory()[year].items() if entry.kind == "makeup_workday"}
    oracle = {day for day in holidays.TW(years=year).weekend_workdays if day.year == year}
    assert listed == oracle


def test_the_2023_make_up_saturdays_are_listed():
    """web-stack.md §9: 2023 has six make-up Saturdays, 02-18 among them."""
    year_2023 = load_directory()[2023]
    makeup = sorted(day for day, entry in year_2023.items() if entry.kind == "makeup_workday")
    assert makeup == [
        date(2023, 1, 7),
        date(2023, 2, 4),
        date(2023, 2, 18),
        date(2023, 3, 25),
        date(2023, 6, 17),
        date(2023, 9, 23),
    ]
    assert year_2023[date(2023, 6, 22)].name == "端午節"
    assert year_2023[date(2023, 6, 22)].kind == "holiday"


def test_the_2025_law_changes_are_in_the_data():
    """行政院 2025: 9/28 孔子誕辰紀念日, 10/25 光復節 and 12/25 行憲紀念日 are days off again."""
    days = load_directory()
    assert days[2025][date(2025, 9, 29)].name == "補假"
    assert days[2025][date(2025, 12, 25)].name == "行憲紀念日"
    assert days[2026][date(2026, 5, 1)].name == "勞動節"
