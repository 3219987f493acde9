#!/usr/bin/env python
"""Generate the working-day calendar data files from the DGPA office calendars.

Source: 行政院人事行政總處「中華民國政府行政機關辦公日曆表」, one CSV a year (columns 西元日期,
星期, 是否放假 (0 work / 2 day off), 備註), as shipped in the ``taiwan-holidays`` package
(``taiwan_holidays/data/1NN年中華民國政府行政機關辦公日曆表.csv``: 108, 109, 111–116 — 110 is
not shipped). Output, one file a year, ``pingjian/rules/calendar/tw-YYYY.csv``::

    date,kind,name
    2023-01-02,holiday,補假
    2023-01-07,makeup_workday,補行上班

Rows: every weekday that is a day off (``holiday``), every Saturday/Sunday that is a working day
(``makeup_workday``) and every weekend day off that the source names (``holiday``, e.g. 開國紀念日
on a Sunday). Any other Saturday or Sunday is an ordinary rest day and any other weekday a working
day. ``sources.json`` records, per year, the source file, its SHA-256 and the package version.

    .venv/bin/python scripts/build_calendar.py            # (re)write the files
    .venv/bin/python scripts/build_calendar.py --check    # exit 1 if the files differ

The source is checked as it is read (every day of the year once, in order, the weekday column
matching the date, the flag 0 or 2, a name on every weekday off); any anomaly stops the build.

Years the programs need that the package does not ship (``HOLIDAYS_PACKAGE_YEARS``: 2018 = ROC 107,
the psych-rehab-107 cycle; 2021 = ROC 110) are made from the ``holidays`` package's TW calendar
(its days off, zh_TW names, and its ``weekend_workdays`` as make-up workdays), which encodes the
same DGPA yearly announcements; ``sources.json`` names that source (package version and the SHA-256
of its ``holidays/countries/taiwan.py``). tests/rules/test_calendar_data.py checks those two years
day by day against the DGPA announcements' own lists of days off and make-up workdays.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "pingjian" / "rules" / "calendar"
WEEKDAYS = "一二三四五六日"
SOURCE_NAME = re.compile(r"^(?P<roc>\d{3})年中華民國政府行政機關辦公日曆表\.csv$")
HEADER = ["西元日期", "星期", "是否放假", "備註"]


# Years made from holidays.TW because taiwan-holidays ships no DGPA CSV for them.
HOLIDAYS_PACKAGE_YEARS = (2018, 2021)
# holidays.TW's zh_TW names -> the DGPA file's words (補假 for an observed day, 調整放假 for a bridge
# day whose hours are made up on a Saturday, 開國紀念日 without the 中華民國).
_DGPA_NAME = (
    (re.compile(r"^放假日（.*補班）$"), "調整放假"),
    (re.compile(r"^.*（補假）$"), "補假"),
    (re.compile(r"^中華民國開國紀念日$"), "開國紀念日"),
)


class SourceError(Exception):
    """The DGPA CSV is not as expected: names the file and row."""


def source_directory() -> Path:
    spec = importlib.util.find_spec("taiwan_holidays")
    if spec is None or not spec.submodule_search_locations:
        raise SourceError("the taiwan-holidays package is not installed (pip install taiwan-holidays)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def source_files(directory: Path) -> dict[int, Path]:
    """Gregorian year -> DGPA CSV path."""
    found: dict[int, Path] = {}
    for path in sorted(directory.glob("*.csv")):
        match = SOURCE_NAME.match(path.name)
        if match:
            found[int(match["roc"]) + 1911] = path
    if not found:
        raise SourceError(f"{directory}: no DGPA office-calendar CSV found")
    return found


def convert(path: Path, year: int) -> str:
    """The text of tw-YEAR.csv made from one DGPA CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or [cell.strip() for cell in rows[0]] != HEADER:
        raise SourceError(f"{path.name}: header is {rows[:1]}, expected {HEADER}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "kind", "name"])
    expected = date(year, 1, 1)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 3:
            raise SourceError(f"{path.name} row {number}: {row!r} has fewer than 3 columns")
        raw_date, weekday, flag = (cell.strip() for cell in row[:3])
        name = row[3].strip() if len(row) > 3 else ""
        if raw_date != f"{expected:%Y%m%d}":
            raise SourceError(f"{path.name} row {number}: date {raw_date!r}, expected {expected:%Y%m%d}")
        if weekday != WEEKDAYS[expected.weekday()]:
            raise SourceError(f"{path.name} row {number}: {raw_date} is not 星期{weekday}")
        if flag not in ("0", "2"):
            raise SourceError(f"{path.name} row {number}: 是否放假 is {flag!r}, expected 0 or 2")
        weekend = expected.weekday() >= 5
        off = flag == "2"
        if off and not weekend:
            if not name:
                raise SourceError(f"{path.name} row {number}: weekday {raw_date} is off but unnamed")
            writer.writerow([expected.isoformat(), "holiday", name])
        elif not off and weekend:
            writer.writerow([expected.isoformat(), "makeup_workday", name or "補行上班"])
        elif off and weekend and name:
            writer.writerow([expected.isoformat(), "holiday", name])
        elif not off and name:
            raise SourceError(f"{path.name} row {number}: working weekday {raw_date} is named {name!r}")
        expected += timedelta(days=1)
    if expected != date(year + 1, 1, 1):
        raise SourceError(f"{path.name}: ends on {expected - timedelta(days=1)}, expected {year}-12-31")
    return out.getvalue()


def dgpa_name(name: str) -> str:
    """A holidays.TW zh_TW name in the DGPA file's words (several names joined with 及)."""
    words = []
    for part in name.split("; "):
        for pattern, word in _DGPA_NAME:
            if pattern.match(part):
                part = word
                break
        words.append(part)
    return "及".join(words)


def convert_holidays_package(year: int) -> str:
    """The text of tw-YEAR.csv made from the holidays package's TW calendar (same rows as
    :func:`convert`: weekdays off, named weekend days off, weekend make-up workdays)."""
    import holidays  # dev-only, as in the tests

    calendar = holidays.TW(years=year, language="zh_TW")
    makeup = {day for day in calendar.weekend_workdays if day.year == year}
    rows: list[tuple[date, str, str]] = []
    for day, name in calendar.items():
        if day.year != year:
            continue
        if day in makeup:
            raise SourceError(f"holidays.TW {year}: {day} is both a day off and a make-up workday")
        rows.append((day, "holiday", dgpa_name(name)))
    for day in makeup:
        if day.weekday() < 5:
            raise SourceError(f"holidays.TW {year}: make-up workday {day} is not a Saturday or Sunday")
        rows.append((day, "makeup_workday", "補行上班"))
    if not rows:
        raise SourceError(f"holidays.TW has no days off for {year}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "kind", "name"])
    for day, kind, name in sorted(rows):
        writer.writerow([day.isoformat(), kind, name])
    return out.getvalue()


def holidays_source() -> dict[str, str]:
    spec = importlib.util.find_spec("holidays.countries.taiwan")
    if spec is None or spec.origin is None:
        raise SourceError("the holidays package is not installed (pip install holidays)")
    version = importlib.metadata.version("holidays")
    return {
        "source": "holidays/countries/taiwan.py（holidays.TW，language zh_TW；taiwan-holidays 未收錄該年）",
        "sha256": hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest(),
        "package": f"holidays=={version}",
        "publisher": "行政院人事行政總處「中華民國政府行政機關辦公日曆表」（經 holidays 套件轉載）",
    }


def build() -> dict[str, str]:
    """File name -> content, for every year the source covers, plus sources.json."""
    directory = source_directory()
    version = importlib.metadata.version("taiwan-holidays")
    files: dict[str, str] = {}
    sources: dict[str, dict[str, str]] = {}
    for year, path in source_files(directory).items():
        files[f"tw-{year}.csv"] = convert(path, year)
        sources[str(year)] = {
            "source": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "package": f"taiwan-holidays=={version}",
            "publisher": "行政院人事行政總處「中華民國政府行政機關辦公日曆表」",
        }
    for year in HOLIDAYS_PACKAGE_YEARS:
        if year in sources:
            continue  # the official CSV, once a package ships it, wins
        files[f"tw-{year}.csv"] = convert_holidays_package(year)
        sources[str(year)] = holidays_source()
    files["sources.json"] = json.dumps(sources, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing; exit 1 on a difference")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"directory (default {OUTPUT})")
    args = parser.parse_args(argv)
    try:
        files = build()
    except SourceError as exc:
        print(f"build_calendar: {exc}", file=sys.stderr)
        return 2
    stale = [
        name
        for name, text in files.items()
        if not (args.output / name).exists() or (args.output / name).read_text("utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"build_calendar: {args.output / name} is out of date", file=sys.stderr)
        return 1 if stale else 0
    args.output.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.output / name).write_text(files[name], encoding="utf-8")
        print(f"wrote {args.output / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
