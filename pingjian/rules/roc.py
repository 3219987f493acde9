"""ROC (民國) dates: read them in every form Taiwanese documents write them, write them back.

The ROC year is the Gregorian year minus 1911: 民國1年 is 1912, 民國112年 is 2023. There is no
民國0年: 1911 is 民國前1年, 1910 民國前2年 (``N = 1912 - year``).

Accepted by :func:`parse_date` (surrounding and inner spaces, full-width digits and full-width
punctuation are all accepted):

- ``112/06/08``, ``112/6/8``, ``112-06-08``, ``112.06.08`` — ROC year of 1–3 digits;
- ``2023-06-08``, ``2023/6/8`` — ISO / Gregorian, a 4-digit year;
- ``112年6月8日``, ``民國112年6月8日``, ``中華民國112年6月8日``, ``民國前1年10月10日``;
- ``西元2023年6月8日``, ``2023年6月8日`` — Gregorian with 年月日;
- ``1120608`` (7 digits) and ``990608`` (6 digits) — compact ROC ``YYYMMDD``;
  ``20230608`` (8 digits) — compact Gregorian, the form the DGPA calendar CSVs use;
- ``前1/10/10`` — a pre-1912 date as :func:`roc_date` writes it.

A bare 4-digit year is always Gregorian, so :func:`roc_date` and :func:`parse_date` round-trip
every date from year 1 to 2910 (民國999年); ROC years of 4 digits are refused (``民國2023年`` is
far likelier a slip for 西元 than a date in 3934).

Anything else raises :class:`~pingjian.rules.errors.CalendarError` naming the text.

Quarters (季) are read here too, the one quarter parser of the code base: :func:`parse_quarter`
reads every written form, :func:`parse_quarter_code` only the compact ``2024Q4`` / ``113Q4`` of
data files and command lines; :class:`Quarter` holds one with its first and last days.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from pingjian.rules.errors import CalendarError

ROC_OFFSET = 1911
WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")

_ACCEPTED = "112/06/08, 112年6月8日, 民國112年6月8日, 1120608 or 2023-06-08"

_NUMERIC = re.compile(
    r"^(?P<era>中華民國|民國|西元|公元)?(?P<before>前)?(?P<year>\d{1,4})"
    r"(?P<sep>[/\-.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})$"
)
_CHINESE = re.compile(
    r"^(?P<era>中華民國|民國|西元|公元)?(?P<before>前)?(?P<year>\d{1,4})年"
    r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日?$"
)
_COMPACT = re.compile(r"^(?P<era>中華民國|民國|西元|公元)?(?P<digits>\d{6,8})$")
_QUARTER = re.compile(r"^(?P<year>\d{1,4})(?:年)?[-_ ]?(?:Q|q|第)(?P<quarter>[1-4])(?:季)?$")
# The compact code data files and command lines use: a year of 3 (ROC) or 4 digits, Q, 1–4.
_QUARTER_CODE = re.compile(r"^(?P<year>\d{3,4})Q(?P<quarter>[1-4])$")


def _normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, all whitespace removed."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split())


def to_roc_year(year: int) -> int:
    """The ROC year of a Gregorian year: 2023 → 112, 1911 → -1 (民國前1年); there is no year 0."""
    return year - ROC_OFFSET if year > ROC_OFFSET else year - ROC_OFFSET - 1


def from_roc_year(roc_year: int) -> int:
    """The Gregorian year of an ROC year: 112 → 2023; negative years are 民國前: -1 → 1911."""
    if roc_year == 0:
        raise CalendarError("民國0年 does not exist: ROC year 0 has no Gregorian year")
    return roc_year + ROC_OFFSET if roc_year > 0 else roc_year + ROC_OFFSET + 1


def _build(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CalendarError(f"date {text!r} does not exist ({exc})") from None


def _year_of(text: str, era: str | None, before: bool, digits: str) -> int:
    """The Gregorian year of a parsed year field, deciding ROC or Gregorian."""
    value = int(digits)
    if era in ("西元", "公元"):
        if before or len(digits) != 4:
            raise CalendarError(f"cannot read date {text!r}: a 西元 year has 4 digits")
        return value
    if era is not None or before or len(digits) <= 3:
        if len(digits) > 3 and not before:
            raise CalendarError(f"cannot read date {text!r}: ROC year {value} has more than 3 digits")
        if value == 0:
            raise CalendarError(f"cannot read date {text!r}: 民國0年 does not exist")
        return from_roc_year(-value if before else value)
    return value


def parse_date(text: str) -> date:
    """Read a date written in any of the forms in the module docstring (ROC or Gregorian)."""
    if not isinstance(text, str):
        raise CalendarError(f"cannot read date {text!r}: expected text such as {_ACCEPTED}")
    cleaned = _normalise(text)
    for pattern in (_NUMERIC, _CHINESE):
        match = pattern.match(cleaned)
        if match:
            year = _year_of(text, match["era"], bool(match["before"]), match["year"])
            return _build(text, year, int(match["month"]), int(match["day"]))
    match = _COMPACT.match(cleaned)
    if match:
        digits, era = match["digits"], match["era"]
        year_digits = digits[:-4]
        if len(digits) == 8 and era in (None, "西元", "公元"):
            year = int(year_digits)
        elif len(digits) in (6, 7) and era not in ("西元", "公元"):
            year = _year_of(text, "民國", False, year_digits)
        else:
            raise CalendarError(f"cannot read date {text!r}: expected text such as {_ACCEPTED}")
        return _build(text, year, int(digits[-4:-2]), int(digits[-2:]))
    raise CalendarError(f"cannot read date {text!r}: expected text such as {_ACCEPTED}")


def _roc_year_text(year: int) -> str:
    roc = to_roc_year(year)
    return str(roc) if roc > 0 else f"前{-roc}"


def roc_date(d: date) -> str:
    """``112/06/08``; before 1912 ``前1/10/10`` (民國前1年), which :func:`parse_date` reads back."""
    return f"{_roc_year_text(d.year)}/{d.month:02d}/{d.day:02d}"


def roc_date_long(d: date) -> str:
    """``112年6月8日``; before 1912 ``民國前1年10月10日``."""
    roc = to_roc_year(d.year)
    year = f"{roc}年" if roc > 0 else f"民國前{-roc}年"
    return f"{year}{d.month}月{d.day}日"


def weekday_name(d: date) -> str:
    """``星期四`` — the weekday as written in Chinese."""
    return f"星期{WEEKDAY_NAMES[d.weekday()]}"


def quarter_of(d: date) -> int:
    """The calendar quarter (1–4) of a date."""
    return (d.month - 1) // 3 + 1


def quarter_label(d: date) -> str:
    """Gregorian quarter label of a date: ``2024Q4``."""
    return f"{d.year}Q{quarter_of(d)}"


def roc_quarter_label(d: date) -> str:
    """ROC quarter label of a date: ``113Q4``."""
    return f"{to_roc_year(d.year)}Q{quarter_of(d)}"


def _quarter_year(label: str, digits: str) -> int:
    """The Gregorian year of a quarter label's year field: 4 digits Gregorian, fewer ROC."""
    if len(digits) == 4:
        return int(digits)
    if int(digits) == 0:
        raise CalendarError(f"cannot read quarter {label!r}: 民國0年 does not exist")
    return from_roc_year(int(digits))


def parse_quarter(label: str) -> tuple[int, int]:
    """(Gregorian year, quarter) of ``2024Q4``, ``113Q4``, ``113q4``, ``113-Q4`` or ``113年第4季``.

    A 4-digit year is Gregorian, 1–3 digits an ROC year (as in :func:`parse_date`).
    """
    match = _QUARTER.match(_normalise(label)) if isinstance(label, str) else None
    if not match:
        raise CalendarError(f"cannot read quarter {label!r}: expected 2024Q4 or 113Q4")
    return _quarter_year(label, match["year"]), int(match["quarter"])


def parse_quarter_code(label: str) -> tuple[int, int]:
    """(Gregorian year, quarter) of the compact code ``2024Q4`` or ROC ``113Q4`` only.

    Data files and command lines write quarters this way (contract dental-south-113, Inputs);
    case and surrounding spaces are ignored, but the document forms :func:`parse_quarter` also
    reads (``2024-Q4``, ``113年第4季``) are refused, so a slip in a file is not read silently.
    """
    match = _QUARTER_CODE.match(label.strip().upper()) if isinstance(label, str) else None
    if not match:
        raise CalendarError(f"cannot read quarter {label!r}: expected 2024Q4 or 113Q4")
    return _quarter_year(label, match["year"]), int(match["quarter"])


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter (季) of a Gregorian year; written ``2024Q4``."""

    year: int
    number: int  # 1–4

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """The quarter of any label :func:`parse_quarter` reads."""
        return cls(*parse_quarter(label))

    @property
    def start(self) -> date:
        """The quarter's first day."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        following = self.shift(1)
        return date(following.year, 3 * following.number - 2, 1) - timedelta(days=1)

    def shift(self, quarters: int) -> Quarter:
        """The quarter QUARTERS later (earlier when negative): 2024Q1 shifted by -1 is 2023Q4."""
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def to_roc_quarter(label: str) -> str:
    """``2024Q4`` → ``113Q4`` (an ROC label is returned normalised)."""
    year, quarter = parse_quarter(label)
    return f"{to_roc_year(year)}Q{quarter}"


def to_gregorian_quarter(label: str) -> str:
    """``113Q4`` → ``2024Q4`` (a Gregorian label is returned normalised)."""
    year, quarter = parse_quarter(label)
    return f"{year}Q{quarter}"
