"""The appeal period (申復期間) of an application's program, its deadline, and the first day a
decided case may be closed (結果確定).

What the seeds say: only seed 002 states a period — §十二(一)「受評機構對於評鑑結果不服者，應自收受
通知之次日起14日內向本部提出申復，逾期不受理」 — and the postpartum program file carries it as its
`appeal` period (days and reference). Seeds 000/001 (the JCT certifications) and 003 (psychiatric
rehabilitation) state none: for those programs the rules core's default (`deadlines.APPEAL_DAYS`,
14 days, the period PRODUCT.md gives the office) applies, and the explanation says it is the
system's default, not the program's rule. Either way the date is counted by the rules core
(行政程序法第48條 on the county's calendar); this module only chooses the period and the words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from pingjian.rules import deadlines
from pingjian.rules.roc import roc_date_long, weekday_name
from pingjian.web.closures.calendar import county_calendar, county_name

DEFAULT_REFERENCE = (
    "本計畫之作業程序未載明申復期間：依本系統預設，自收受通知之次日起14日"
    "（同111年度產後護理之家評鑑作業程序第十二點(一)）；行政程序法第48條"
)


@dataclass(frozen=True)
class AppealPeriodInEffect:
    """The program's stated period (`programs.AppealPeriod`) or the system's default."""

    days: int
    reference: str
    stated: bool  # True: the program file states it; False: the system's default


def appeal_period(program: Any) -> AppealPeriodInEffect:
    """The program's appeal period as its file states it, else the system's default."""
    stated = getattr(program, "appeal", None)
    if stated is not None:
        return AppealPeriodInEffect(stated.days, stated.reference, stated=True)
    return AppealPeriodInEffect(deadlines.APPEAL_DAYS, DEFAULT_REFERENCE, stated=False)


def appeal_deadline(application: Any, received_on: dt.date, calendar: Any = None) -> deadlines.Deadline:
    """The last day to appeal, counted by the rules core from the day after RECEIVED_ON on the
    calendar of the institution's county (CALENDAR when the caller already holds it)."""
    code = application.institution.county
    calendar = calendar if calendar is not None else county_calendar(code)
    county = county_name(code)
    period = appeal_period(application.program_version.program())
    if period.stated:
        # The core's appeal rule: its words and reference are those of the 評鑑作業程序 (seed 002),
        # the one source that states a period today.
        return deadlines.appeal_due(received_on, calendar, county, days=period.days)
    due = deadlines.administrative_deadline(
        received_on,
        period.days,
        calendar,
        county,
        subject="收受通知",
        basis="本計畫未載明申復期間，依本系統預設期間及行政程序法第48條",
    )
    return dataclasses.replace(due, reference=period.reference)


def closable_from(application: Any) -> dt.date | None:
    """The first day the office may close a decided case: the day after the appeal period's last
    day (the stored `appeal_due`, computed by the core when the receipt was recorded); None while
    the receipt is not recorded (the period has not started)."""
    if application.appeal_due is None:
        return None
    return application.appeal_due + dt.timedelta(days=1)


def closing_refusal(application: Any, today: dt.date) -> str | None:
    """Why a decided case may not be closed today, or None when it may: the appeal period must
    have ended, unless the institution waived its appeal (放棄申復)."""
    if application.appeal_waived_on is not None:
        return None
    if application.appeal_due is None:
        return (
            "尚未登錄收受評定通知，申復期間尚未起算，不能確定結果；"
            "請先登錄送達（收受）日，或由機構聲明放棄申復。"
        )
    if today <= application.appeal_due:
        first = closable_from(application)
        assert first is not None
        return (
            f"申復期間至{roc_date_long(application.appeal_due)}（{weekday_name(application.appeal_due)}）"
            f"屆滿，自{roc_date_long(first)}起始得確定結果；機構已聲明放棄申復者不在此限。"
        )
    return None
