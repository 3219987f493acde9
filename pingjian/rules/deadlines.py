"""Deadlines: the last day of a period, under the regime that governs it.

Two statutory regimes count a period of DAYS days that starts on the day after START (the start
day is not counted), so the nominal last day is ``START + DAYS``; they differ in how a last day
that is not a working day moves:

- ``administrative`` — 行政程序法第48條 (periods set by or owed to an administrative agency);
- ``civil`` — 民法第120條至第122條 (and, through 民事訴訟法第161條, court periods).

On top of them, the program rules the workflow calls: the JCT supplement (5 working days), the
JCT evidence submission (1 month before the visit) and the postpartum appeal (14 days).

Every function returns a :class:`Deadline` carrying the date, the unmoved last day, the statute
or seed it applies and a Traditional Chinese sentence the web app can show as it is.

Numbers from seeds (14 days, 5 working days, 1 month) are defaults here with their references;
the workflow passes the program file's value when it has one.
"""

from __future__ import annotations

import calendar as _gregorian
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import roc_date_long, weekday_name
from pingjian.rules.workcal import WorkingDayCalendar

Regime = Literal["administrative", "civil", "working_days", "before_event"]
REGIMES: tuple[str, ...] = ("administrative", "civil")

ADMINISTRATIVE_REFERENCE = "行政程序法第48條"
CIVIL_REFERENCE = "民法第120條至第122條"

APPEAL_DAYS = 14
APPEAL_REFERENCE = "seed 002 §十二(一)「應自收受通知之次日起14日內向本部提出申復」；行政程序法第48條"
SUPPLEMENT_WORKING_DAYS = 5
SUPPLEMENT_REFERENCE = "seed 001 認證申請流程「資格審查」：若不完整則須於5個工作天內完成補件"
EVIDENCE_MONTHS_BEFORE = 1
EVIDENCE_REFERENCE = "seed 001 認證申請流程「繳交資料」：受評機構須於實地訪視當日前1個月繳交申報資料"

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """The last day of a period and how it was reached.

    ``due`` is the last day (the period ends at the end of it, or at noon when ``morning_only``);
    ``nominal`` is the last day before any move; ``passed_over`` lists each rest day moved over,
    with its reason (``端午節``, ``星期六``, ``停止上班（臺北市）``).
    """

    due: date
    start: date
    nominal: date
    regime: Regime
    reference: str
    explanation: str
    passed_over: tuple[tuple[date, str], ...] = ()
    morning_only: bool = False

    @property
    def moved(self) -> bool:
        """True when the last day was moved off a rest day (or back, before an event)."""
        return self.due != self.nominal


def _long(day: date) -> str:
    """``112年6月26日（星期一）``."""
    return f"{roc_date_long(day)}（{weekday_name(day)}）"


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise CalendarError(f"the number of days must be a whole number, got {days!r}")
    if days < 0:
        raise CalendarError(f"the number of days must not be negative, got {days}")


def _counted_from(start: date, days: int, subject: str | None) -> str:
    what = f"{subject}（{roc_date_long(start)}）" if subject else roc_date_long(start)
    return f"自{what}之次日起算{days}日"


PassedOver = tuple[tuple[date, str], ...]


def _reasons(passed: PassedOver) -> str:
    return "、".join(f"{roc_date_long(day)}{why}" for day, why in passed)


def _period_deadline(
    start: date,
    days: int,
    calendar: WorkingDayCalendar,
    county: str | None,
    *,
    regime: Literal["administrative", "civil"],
    reference: str,
    opening: str,
    saturday_to_monday_morning: bool,
    word_move: Callable[[date, date, PassedOver, bool], str],
) -> Deadline:
    """A period of DAYS days from the day after START, under REGIME, with its explanation.

    The nominal last day START + DAYS moves while it is not a working day of COUNTY: to the next
    day, or — with SATURDAY_TO_MONDAY_MORNING (§48 IV) — from an ordinary Saturday (not itself a
    listed holiday) to the next Monday, morning only. The explanation is OPENING followed by the
    last day, worded by WORD_MOVE(nominal, due, passed over, morning only) when it moved.
    """
    _check_days(days)
    nominal = start + timedelta(days=days)
    current = nominal
    passed: list[tuple[date, str]] = []
    morning_only = False
    while not calendar.is_workday(current, county):
        passed.append((current, calendar.rest_reason(current, county) or ""))
        if saturday_to_monday_morning and _ordinary_saturday(current, calendar):
            current += timedelta(days=(7 - current.weekday()))  # the next Monday
            morning_only = True
        else:
            current += _ONE_DAY
            morning_only = False
    if passed:
        ending = word_move(nominal, current, tuple(passed), morning_only)
    else:
        ending = f"末日為{_long(nominal)}。"
    return Deadline(
        due=current,
        start=start,
        nominal=nominal,
        regime=regime,
        reference=reference,
        explanation=opening + ending,
        passed_over=tuple(passed),
        morning_only=morning_only,
    )


def _ordinary_saturday(day: date, calendar: WorkingDayCalendar) -> bool:
    entry = calendar.listed(day)
    return day.weekday() == 5 and (entry is None or entry.kind != "holiday")


def administrative_deadline(
    start: date,
    days: int,
    calendar: WorkingDayCalendar,
    county: str | None = None,
    *,
    subject: str | None = None,
    basis: str | None = None,
) -> Deadline:
    """Last day of a period of DAYS days under 行政程序法第48條.

    - §48 II: the start day is not counted, so the nominal last day is START + DAYS.
    - §48 IV: a last day on a Sunday, a national holiday (國定假日) or another rest day (其他休息日)
      is replaced by the next day, repeatedly while that day is also a rest day; a last day on an
      ordinary Saturday moves to the next Monday morning (「以其次星期一上午為期間末日」) and, if
      that Monday is not a working day, on to the next working day (then the whole day).
    - A make-up Saturday (補行上班日) is a working day, not a rest day: a last day on it stays.
    - A Saturday that is itself a listed holiday (e.g. 中秋節 on 111-09-10) moves under the
      holiday clause — the next day, then on — which reaches the same Monday, for the whole day
      (the reading more favourable to the person, §48 V).
    - A typhoon closure (停止上班) of COUNTY on a day makes it an other rest day for that county.
    - Moves chain literally: a holiday Thursday followed by a day off on Friday reaches the
      Saturday, which moves to Monday morning (``morning_only``).

    The result is always a working day of COUNTY. SUBJECT names the start event in the
    explanation (``收受通知`` → 自收受通知（…）之次日起算14日); BASIS replaces the opening
    「依行政程序法第48條」 when a program rule sets the period.
    """
    return _period_deadline(
        start,
        days,
        calendar,
        county,
        regime="administrative",
        reference=ADMINISTRATIVE_REFERENCE,
        opening=f"{basis or '依' + ADMINISTRATIVE_REFERENCE}，{_counted_from(start, days, subject)}，",
        saturday_to_monday_morning=True,
        word_move=_administrative_move,
    )


def _administrative_move(nominal: date, due: date, passed: PassedOver, morning_only: bool) -> str:
    if morning_only and len(passed) == 1:
        return f"原末日{roc_date_long(nominal)}為星期六，以其次星期一上午為期間末日，末日為{_long(due)}上午。"
    tail = "上午" if morning_only else ""
    return f"原末日{_long(nominal)}非上班日（{_reasons(passed)}），順延後末日為{_long(due)}{tail}。"


def civil_deadline(
    start: date,
    days: int,
    calendar: WorkingDayCalendar,
    county: str | None = None,
    *,
    subject: str | None = None,
) -> Deadline:
    """Last day of a period of DAYS days under 民法第120條至第122條.

    - §120 II: the start day is not counted; §121 I: the period ends at the end of its last day,
      nominally START + DAYS.
    - §122: a last day on a Sunday, a 紀念日 or another 休息日 is replaced by the day after it,
      repeatedly while that day is also a rest day.

    Reading of 「其他休息日」 (ours, stated so it can be challenged): a day is a 休息日 exactly
    when it is not a working day in the government office calendar. So an ordinary Saturday is
    a 休息日 (週休二日) and a last day on it moves to the next working day — the whole day, §122
    has no "Monday morning" clause; a make-up Saturday (補行上班日) is a working day, not a
    休息日, and a last day on it stays; a 紀念日 without a day off (e.g. 3/29 青年節 before its
    listing as a holiday) is not a rest day because it is not listed as one. A typhoon closure
    (停止上班) of COUNTY is read as a 休息日 for that county, as courts do for court periods.

    The result is always a working day of COUNTY under this reading.
    """
    return _period_deadline(
        start,
        days,
        calendar,
        county,
        regime="civil",
        reference=CIVIL_REFERENCE,
        opening=f"依{CIVIL_REFERENCE}，{_counted_from(start, days, subject)}，以期間末日之終止為期間之終止，",
        saturday_to_monday_morning=False,
        word_move=_civil_move,
    )


def _civil_move(nominal: date, due: date, passed: PassedOver, morning_only: bool) -> str:
    return f"原末日{_long(nominal)}為休息日（{_reasons(passed)}），以其次日代之，末日為{_long(due)}。"


def deadline(
    start: date, days: int, regime: str, calendar: WorkingDayCalendar, county: str | None = None
) -> Deadline:
    """Dispatch on REGIME (``administrative`` or ``civil``), as the CLI and the web app name it."""
    if regime == "administrative":
        return administrative_deadline(start, days, calendar, county)
    if regime == "civil":
        return civil_deadline(start, days, calendar, county)
    raise CalendarError(f"unknown deadline regime {regime!r}: expected administrative or civil")


def nth_workday(start: date, n: int, calendar: WorkingDayCalendar, county: str | None = None) -> Deadline:
    """The N-th working day after START (START not counted), with its explanation."""
    due = calendar.nth_workday_after(start, n, county)
    return Deadline(
        due=due,
        start=start,
        nominal=due,
        regime="working_days",
        reference="政府行政機關辦公日曆表",
        explanation=f"自{roc_date_long(start)}之次日起算第{n}個上班日為{_long(due)}。",
    )


def appeal_due(
    received_on: date,
    calendar: WorkingDayCalendar,
    county: str | None = None,
    *,
    days: int = APPEAL_DAYS,
) -> Deadline:
    """Last day to lodge an appeal (申復) against a postpartum evaluation result.

    Seed 002 §十二(一): 「受評機構對於評鑑結果不服者，應自收受通知之次日起14日內向本部提出申復，
    逾期不受理」 — a period owed to MOHW, counted under 行政程序法第48條
    (:func:`administrative_deadline`): from the day after RECEIVED_ON, 14 days.
    """
    result = administrative_deadline(
        received_on,
        days,
        calendar,
        county,
        subject="收受通知",
        basis="申復期間依評鑑作業程序第十二點及行政程序法第48條",
    )
    return dataclasses.replace(result, reference=APPEAL_REFERENCE)


def supplement_due(
    notified_on: date,
    calendar: WorkingDayCalendar,
    county: str | None = None,
    *,
    working_days: int = SUPPLEMENT_WORKING_DAYS,
) -> Deadline:
    """Last day to complete an incomplete JCT application (補件).

    Seed 001, JCT application procedure, 「資格審查」: 「若不完整則須於5個工作天內完成補件」.
    Read as: the 5th working day (上班日, government calendar, make-up Saturdays included) after
    the day of notification, the notification day not counted (as 行政程序法第48條 II and
    民法第120條 II count periods); the period ends at the end of that day. Being a count of working
    days, the last day is always a working day and never needs moving.
    """
    due = calendar.nth_workday_after(notified_on, working_days, county)
    return Deadline(
        due=due,
        start=notified_on,
        nominal=due,
        regime="working_days",
        reference=SUPPLEMENT_REFERENCE,
        explanation=(
            f"書面資料不完整者須於{working_days}個工作天內完成補件：自通知（{roc_date_long(notified_on)}）"
            f"之次日起算第{working_days}個上班日，末日為{_long(due)}。"
        ),
    )


def months_before(day: date, months: int) -> date:
    """The day MONTHS calendar months before DAY; with no such day, the last day of that month.

    (31 March − 1 month → 28 or 29 February, as 民法第121條 II ends a month period that has no
    corresponding day on the last day of the month.)
    """
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def evidence_due(
    visit_date: date,
    calendar: WorkingDayCalendar,
    county: str | None = None,
    *,
    months: int = EVIDENCE_MONTHS_BEFORE,
) -> Deadline:
    """Last day to submit the declaration and evidence (申報資料) before a JCT site visit.

    Seed 001, JCT application procedure, 「繳交資料」: 「受評機構須於實地訪視當日前1個月繳交申報資料」.
    Reading (ours, stated so it can be challenged):

    - "1 month before the visit day" is the same day of the month, one calendar month earlier:
      visit 112-09-15 → submit by 112-08-15 (inclusive).
    - When that day does not exist, the last day of that month: visit 113-03-31 → 113-02-29;
      visit 112-03-31 → 112-02-28 (by analogy with 民法第121條 II; that day is 和平紀念日, so
      112-02-24 by the next rule).
    - When that day is not a working day, the working day BEFORE it: the rule protects a minimum
      lead time of one month for the reviewers, so moving the day later (as §48 IV does for
      periods that run forward) would cut into it; moving it earlier keeps the lead and lands
      on a day the JCT office is open.
    """
    if months < 0:
        raise CalendarError(f"the number of months must not be negative, got {months}")
    nominal = due = months_before(visit_date, months)
    passed: list[tuple[date, str]] = []
    if not calendar.is_workday(nominal, county):
        passed.append((nominal, calendar.rest_reason(nominal, county) or ""))
        due = calendar.previous_workday(nominal, county)
    text = f"受評機構須於實地訪視當日（{roc_date_long(visit_date)}）前{months}個月繳交申報資料，"
    if not passed:
        text += f"最後繳交日為{_long(nominal)}。"
    else:
        text += (
            f"前{months}個月之當日{_long(nominal)}為{passed[0][1]}，提前至前一上班日，"
            f"最後繳交日為{_long(due)}。"
        )
    if nominal.day != visit_date.day:
        text += f"（{roc_date_long(nominal)}為該月末日：該月無相當日。）"
    return Deadline(
        due=due,
        start=visit_date,
        nominal=nominal,
        regime="before_event",
        reference=EVIDENCE_REFERENCE,
        explanation=text,
        passed_over=tuple(passed),
    )
