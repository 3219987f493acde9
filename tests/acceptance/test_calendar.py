"""`pingjian calendar deadline|workdays … --json`: contract "Deadlines" (行政程序法 §48 for
`administrative`, 民法 §120–122 for `civil`; the N-th working day on the Taiwan government calendar;
output exactly `{"date": "YYYY-MM-DD", "roc": "YYY/MM/DD"}`; a year not loaded is an error).

Expected dates are worked out by hand from the government office calendar (行政院人事行政總處
「政府行政機關辦公日曆表」): the days off and make-up Saturdays used are listed in
`HAND_DAYS_OFF` / `HAND_MAKEUP_SATURDAYS` and double-checked against the `holidays` package in
`test_hand_calendar_agrees_with_holidays_package`.

§48: 始日不計算在內; the last day on a Sunday, national holiday or other rest day moves to the next
day (and on, while that is a rest day too); a last day on a Saturday moves to the next Monday (and
on, if that Monday is a holiday); a make-up Saturday (補行上班日) is a working day, so a last day on
it stays. 民法 §120–122: 始日不算入; a last day on a Sunday, 紀念日 or other rest day is replaced by
the next day that is not one (Saturday is a rest day under the five-day week).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

# Days off (weekdays) of the government calendar that the cases below rely on.
HAND_DAYS_OFF = {
    # 2022 春節 (01-31 除夕 … 02-04, 02-04 traded for 01-22), 國慶
    "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04", "2022-10-10",
    # 2023 元旦補假, 春節 (01-20 traded for 01-07, 01-27 for 02-04), 和平紀念日, 兒童節/清明, 端午, 中秋, 國慶
    "2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27",
    "2023-02-27", "2023-02-28", "2023-04-03", "2023-04-04", "2023-04-05",
    "2023-06-22", "2023-06-23", "2023-09-29", "2023-10-09", "2023-10-10",
    # 2024 春節 (02-08 traded for 02-17 … 02-14), 端午
    "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-06-10",
    # 2025 春節 (01-27 traded for 02-08 … 01-31)
    "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
}  # fmt: skip
HAND_MAKEUP_SATURDAYS = {
    "2022-01-22",
    "2023-01-07", "2023-02-04", "2023-02-18", "2023-03-25", "2023-06-17", "2023-09-23",
    "2024-02-17",
    "2025-02-08",
}  # fmt: skip

# (START, DAYS, expected last day, why)
ADMINISTRATIVE = [
    (
        "2023-06-08",
        14,
        "2023-06-26",
        "contract example output: 06-22 端午 (Thu) → 06-23 off → weekend → Mon 06-26",
    ),
    ("2023-03-01", 7, "2023-03-08", "ordinary Wednesday stays"),
    ("2023-01-21", 10, "2023-01-31", "START on 除夕 (a rest day): the period still starts the next day"),
    ("2022-09-26", 14, "2022-10-11", "seed 002 十二(一) 14-day 申復 ending on 國慶 2022-10-10 → 10-11"),
    ("2023-09-30", 10, "2023-10-11", "national holiday 國慶 (Tue) → Wed"),
    ("2023-05-04", 10, "2023-05-15", "Sunday → Monday"),
    ("2023-05-03", 10, "2023-05-15", "Saturday → next Monday"),
    ("2022-12-28", 10, "2023-01-07", "make-up Saturday 2023-01-07 stays"),
    ("2023-01-25", 10, "2023-02-04", "make-up Saturday 2023-02-04 stays"),
    ("2023-02-08", 10, "2023-02-18", "make-up Saturday 2023-02-18 stays"),
    ("2023-03-15", 10, "2023-03-25", "make-up Saturday 2023-03-25 stays"),
    ("2023-06-07", 10, "2023-06-17", "make-up Saturday 2023-06-17 stays"),
    ("2023-09-13", 10, "2023-09-23", "make-up Saturday 2023-09-23 stays"),
    ("2022-01-12", 10, "2022-01-22", "make-up Saturday 2022-01-22 stays"),
    ("2024-02-07", 10, "2024-02-17", "make-up Saturday 2024-02-17 stays"),
    ("2025-01-29", 10, "2025-02-08", "make-up Saturday 2025-02-08 stays (start inside 春節)"),
    ("2023-09-27", 10, "2023-10-11", "Saturday 10-07 before Mon 10-09 off and Tue 10-10 國慶 → Wed 10-11"),
    ("2024-05-29", 10, "2024-06-11", "Saturday 06-08 before Mon 06-10 端午 → Tue 06-11"),
    ("2023-02-15", 10, "2023-03-01", "Saturday 02-25 before Mon 02-27 off, Tue 02-28 和平紀念日 → 03-01"),
    ("2023-03-22", 10, "2023-04-06", "Saturday 04-01 before 04-03 off, 04-04/05 兒童節清明 → Thu 04-06"),
    ("2023-01-11", 10, "2023-01-30", "春節 2023: 除夕 Sat 01-21 → through 01-27 off → Mon 01-30"),
    ("2023-01-10", 10, "2023-01-30", "春節 2023: Fri 01-20 (traded for 01-07) → Mon 01-30"),
    ("2022-12-22", 30, "2023-01-30", "30 days across the year end into 春節 2023"),
    ("2024-01-29", 10, "2024-02-15", "春節 2024: Thu 02-08 (traded for 02-17) → Thu 02-15"),
    ("2024-01-31", 10, "2024-02-15", "春節 2024: Sat 02-10 → Mon 02-12 off → Thu 02-15"),
    ("2024-02-04", 10, "2024-02-15", "春節 2024: Wed 02-14 → Thu 02-15"),
    ("2025-01-17", 10, "2025-02-03", "春節 2025: Mon 01-27 (traded for 02-08) → Mon 02-03"),
    ("2022-01-21", 10, "2022-02-07", "春節 2022: Mon 01-31 除夕 → Mon 02-07"),
    ("2023-09-19", 10, "2023-10-02", "中秋 2023 Fri 09-29 → weekend → Mon 10-02"),
    ("2023-09-29", 10, "2023-10-11", "Mon 10-09 (traded for 09-23) → 國慶 → Wed 10-11"),
    ("2023-09-09", 30, "2023-10-11", "30 days → Mon 10-09 off → 10-11"),
    ("2023-08-10", 60, "2023-10-11", "60 days → Mon 10-09 off → 10-11"),
    ("2022-12-01", 60, "2023-01-30", "60 days → Mon 2023-01-30, a workday after 春節, stays"),
    ("2023-05-22", 30, "2023-06-21", "30 days → Wed 06-21, the workday before 端午, stays"),
    ("2023-05-23", 30, "2023-06-26", "30 days → 端午 Thu 06-22 → Mon 06-26"),
]

CIVIL = [
    ("2023-06-08", 14, "2023-06-26", "民法 §122: 端午 and the day off after it, then the weekend"),
    ("2023-03-01", 7, "2023-03-08", "ordinary weekday stays (§120 始日不算入, §121 末日終止)"),
    ("2023-09-30", 10, "2023-10-11", "§122 紀念日 國慶 → next day"),
    ("2023-05-04", 10, "2023-05-15", "§122 Sunday → Monday"),
    ("2023-05-03", 10, "2023-05-15", "§122 Saturday is a rest day, Sunday too → Monday"),
    ("2023-09-27", 10, "2023-10-11", "§122 Saturday, Sunday, Mon 10-09 off, 國慶 → Wed"),
    ("2023-01-11", 10, "2023-01-30", "§122 春節 2023 → Mon 01-30"),
    ("2024-01-31", 10, "2024-02-15", "§122 春節 2024 → Thu 02-15"),
    ("2023-08-10", 60, "2023-10-11", "60 days → 10-09 off → 10-11"),
]

# (START, N, expected N-th working day after START, why)
WORKDAYS = [
    ("2023-06-16", 1, "2023-06-17", "Fri → the make-up Saturday 06-17 is a working day"),
    ("2023-06-16", 2, "2023-06-19", "then Mon 06-19"),
    ("2023-06-21", 1, "2023-06-26", "端午 06-22, 06-23 off, weekend → Mon 06-26"),
    ("2023-01-19", 1, "2023-01-30", "春節 2023 (01-20 … 01-29 off)"),
    ("2023-01-19", 5, "2023-02-03", "30, 31, 1, 2, 3"),
    ("2023-01-19", 6, "2023-02-04", "the make-up Saturday 02-04 counts"),
    ("2023-01-19", 7, "2023-02-06", "then Monday"),
    (
        "2023-01-02",
        20,
        "2023-02-04",
        "20 working days from 元旦補假 across make-up 01-07, 春節 and make-up 02-04",
    ),
    ("2023-02-17", 1, "2023-02-18", "make-up Saturday 02-18"),
    ("2023-02-17", 2, "2023-02-20", "then Monday"),
    ("2023-02-24", 1, "2023-03-01", "02-27 off, 02-28 和平紀念日"),
    ("2023-09-22", 1, "2023-09-23", "make-up Saturday 09-23"),
    ("2023-09-22", 2, "2023-09-25", "then Monday"),
    ("2023-10-05", 5, "2023-10-16", "JCT 「5 個工作天內補件」 across 10-09 off and 國慶: 6, 11, 12, 13, 16"),
    ("2024-02-07", 1, "2024-02-15", "春節 2024 (02-08 … 02-14)"),
    ("2024-02-07", 3, "2024-02-17", "make-up Saturday 2024-02-17"),
    ("2024-02-07", 4, "2024-02-19", "then Monday"),
    ("2022-01-21", 1, "2022-01-22", "make-up Saturday 2022-01-22"),
    ("2025-02-07", 1, "2025-02-08", "make-up Saturday 2025-02-08"),
    ("2023-05-13", 1, "2023-05-15", "START an ordinary Saturday, not counted"),
    ("2023-10-10", 1, "2023-10-11", "START a holiday, not counted"),
]


def roc(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year - 1911:03d}/{d.month:02d}/{d.day:02d}"


def test_hand_calendar_agrees_with_holidays_package():
    """The hand-written days off / make-up Saturdays behind the expected dates, checked against
    `holidays.TW` (not used by the assertions themselves)."""
    holidays = pytest.importorskip("holidays")
    tw = holidays.TW(years=range(2022, 2026))
    for day in HAND_DAYS_OFF:
        d = dt.date.fromisoformat(day)
        assert d.weekday() < 5 and not tw.is_working_day(d), day
    for day in HAND_MAKEUP_SATURDAYS:
        d = dt.date.fromisoformat(day)
        assert d.weekday() == 5 and tw.is_working_day(d), day
    made_up = {d.isoformat() for d in tw.weekend_workdays if 2022 <= d.year <= 2025}
    assert made_up == HAND_MAKEUP_SATURDAYS


def deadline(cli, start: str, days: int, regime: str) -> dict:
    run = cli("calendar", "deadline", start, str(days), "--regime", regime, "--json")
    assert run.code == 0 and run.crashed is None, run.describe()
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    "start, days, expected, why", ADMINISTRATIVE, ids=[f"{c[0]}+{c[1]}" for c in ADMINISTRATIVE]
)
def test_deadline_administrative(cli, start, days, expected, why):
    """Contract "Deadlines" / 行政程序法 §48 (see module docstring); case: `why`."""
    out = deadline(cli, start, days, "administrative")
    assert out == {"date": expected, "roc": roc(expected)}, why


@pytest.mark.parametrize("start, days, expected, why", CIVIL, ids=[f"{c[0]}+{c[1]}" for c in CIVIL])
def test_deadline_civil(cli, start, days, expected, why):
    """Contract "Deadlines" / 民法 §120–122 (see module docstring); case: `why`."""
    out = deadline(cli, start, days, "civil")
    assert out == {"date": expected, "roc": roc(expected)}, why


@pytest.mark.parametrize("start, n, expected, why", WORKDAYS, ids=[f"{c[0]}+{c[1]}wd" for c in WORKDAYS])
def test_workdays(cli, start, n, expected, why):
    """Contract "Deadlines": the N-th working day after START on the Taiwan government calendar
    (weekends, national holidays, make-up workdays); case: `why`."""
    run = cli("calendar", "workdays", start, str(n), "--json")
    assert run.code == 0 and run.crashed is None, run.describe()
    assert json.loads(run.stdout) == {"date": expected, "roc": roc(expected)}, why


def test_output_is_exactly_date_and_roc(cli):
    """Contract: output `{"date": "2023-06-26", "roc": "112/06/26"}` — nothing else."""
    run = cli("calendar", "deadline", "2023-06-08", "14", "--regime", "administrative", "--json")
    assert json.loads(run.stdout) == {"date": "2023-06-26", "roc": "112/06/26"}
    run = cli("calendar", "workdays", "2023-06-21", "1", "--json")
    assert json.loads(run.stdout) == {"date": "2023-06-26", "roc": "112/06/26"}


@pytest.mark.parametrize(
    "args",
    [
        ("deadline", "2035-03-01", "10", "--regime", "administrative"),
        ("deadline", "2035-03-01", "10", "--regime", "civil"),
        ("deadline", "1999-06-01", "10", "--regime", "administrative"),
        ("deadline", "2027-06-01", "3650", "--regime", "administrative"),
        ("workdays", "2035-03-01", "1"),
        ("workdays", "1999-06-01", "5"),
        ("workdays", "2026-06-01", "2500"),
    ],
    ids=lambda a: " ".join(a),
)
def test_year_not_loaded_is_an_error(cli, args):
    """Contract: "A year not loaded is an error, never a silent guess" (the government publishes
    its office calendar a year ahead; 2035 and 1999 are not loaded; a period from a loaded year
    that ends ten years on is not either)."""
    cli.bad_input("calendar", *args, "--json")


@pytest.mark.parametrize(
    "args",
    [
        ("deadline", "2023-02-30", "10", "--regime", "administrative"),
        ("deadline", "not-a-date", "10", "--regime", "administrative"),
        ("deadline", "2023-06-08", "ten", "--regime", "administrative"),
        ("deadline", "2023-06-08", "10", "--regime", "criminal"),
        ("workdays", "2023-13-01", "1"),
        ("workdays", "2023-06-08", "x"),
    ],
    ids=lambda a: " ".join(a),
)
def test_bad_input(cli, args):
    """Contract: every command exits non-zero with a one-line message on bad input, writing nothing."""
    cli.bad_input("calendar", *args, "--json")
