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
# The years the DGPA CSVs shipped in taiwan-holidays 0.2027.0 cover: 108, 109, 111–116; 2018 (107)
# and 2021 (110), which the package lacks, come from holidays.TW (issue 21).
EXPECTED_YEARS = (2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027)


def _build_module():
    spec = importlib.util.spec_from_file_location("build_calendar", REPO / "scripts" / "build_calendar.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_calendar"] = module
    spec.loader.exec_module(module)
    return module


def test_a_file_for_every_year_the_sources_cover_including_2018_2021_and_2022_to_2026():
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


# The DGPA announcements of 107年 and 110年「政府行政機關辦公日曆表」: every weekday off and every make-up
# Saturday. Written out here from the announcements, independently of either package.
DGPA_2018_WEEKDAYS_OFF = [
    "2018-01-01",
    "2018-02-15",
    "2018-02-16",
    "2018-02-19",
    "2018-02-20",
    "2018-02-28",
    "2018-04-04",
    "2018-04-05",
    "2018-04-06",
    "2018-06-18",
    "2018-09-24",
    "2018-10-10",
    "2018-12-31",
]
DGPA_2018_MAKEUP = ["2018-03-31", "2018-12-22"]
DGPA_2021_WEEKDAYS_OFF = [
    "2021-01-01",
    "2021-02-10",
    "2021-02-11",
    "2021-02-12",
    "2021-02-15",
    "2021-02-16",
    "2021-03-01",
    "2021-04-02",
    "2021-04-05",
    "2021-06-14",
    "2021-09-20",
    "2021-09-21",
    "2021-10-11",
    "2021-12-31",
]
DGPA_2021_MAKEUP = ["2021-02-20", "2021-09-11"]


@pytest.mark.parametrize(
    ("year", "weekdays_off", "makeup"),
    [(2018, DGPA_2018_WEEKDAYS_OFF, DGPA_2018_MAKEUP), (2021, DGPA_2021_WEEKDAYS_OFF, DGPA_2021_MAKEUP)],
)
def test_2018_and_2021_agree_day_by_day_with_the_dgpa_announcements(year, weekdays_off, makeup):
    """Issue 21 item 7: the psych-rehab-107 cycle (2018) and deadlines through 2021 need these years;
    the file made from holidays.TW must be the DGPA calendar on every day of the year."""
    calendar = WorkingDayCalendar.load()
    off = {date.fromisoformat(d) for d in weekdays_off}
    extra = {date.fromisoformat(d) for d in makeup}
    day = date(year, 1, 1)
    wrong = []
    while day.year == year:
        expected = day in extra if day.weekday() >= 5 else day not in off
        if calendar.is_workday(day) != expected:
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


def test_2018_and_2021_name_their_source_in_sources_json():
    import json

    sources = json.loads((DATA_DIRECTORY / "sources.json").read_text("utf-8"))
    for year in ("2018", "2021"):
        assert sources[year]["package"].startswith("holidays==")
        assert "holidays.TW" in sources[year]["source"]
    assert sources["2019"]["source"] == "108年中華民國政府行政機關辦公日曆表.csv"
