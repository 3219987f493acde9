"""A user's visits as an iCalendar feed (RFC 5545), written by hand: the `icalendar` library is not
installed. What RFC 5545 asks of a writer and this module does: CRLF line endings (§3.1), lines
folded at 75 octets without splitting a UTF-8 character (§3.1), TEXT values escaped (backslash,
semicolon, comma, newline: §3.3.11), UTC date-times (§3.3.5 form #2, so no VTIMEZONE is needed:
Taiwan keeps UTC+8 all year), and VERSION, PRODID, UID and DTSTAMP present (§3.6, §3.8.7.2).

A half-day visit is 09:00–12:00 (上午) or 13:30–16:30 (下午), Taipei time: the seed's 3 hours
(002 §十(二): 實地訪查程序進行以3小時為原則); two half-days are 09:00–16:30.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

TAIPEI = dt.timezone(dt.timedelta(hours=8))
STARTS = {"am": dt.time(9, 0), "pm": dt.time(13, 30)}
ENDS = {"am": dt.time(12, 0), "pm": dt.time(16, 30)}
PRODID = "-//pingjian//評鑑實地訪查//ZH-TW"


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets folded with CRLF and one space, never inside a
    UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with the space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def visit_times(day: dt.date, half: str, half_days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, STARTS[half], TAIPEI)
    end_half = "pm" if half_days > 1 else half
    return start, dt.datetime.combine(day, ENDS[end_half], TAIPEI)


def event_lines(
    *,
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str = "",
    description: str = "",
    stamp: dt.datetime,
    modified: dt.datetime | None = None,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if modified is not None:
        lines.append(f"LAST-MODIFIED:{utc(modified)}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT"]
    return lines


def calendar(name: str, events: Iterable[list[str]]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def visits_calendar(visits: Iterable[Any], *, name: str, host: str, now: dt.datetime) -> str:
    from .planning import plan_of

    events = []
    for visit in visits:
        application = visit.application
        institution = application.institution
        plan = plan_of(application.cycle.program_version.program())
        start, end = visit_times(visit.day, visit.half, plan.half_days)
        team = "；".join(f"{m.role}：{m.surveyor}" for m in visit.members.all())
        events.append(
            event_lines(
                uid=f"visit-{visit.pk}@{host}",
                start=start,
                end=end,
                summary=f"實地訪查：{institution.name}",
                location=institution.address,
                description=f"{application.cycle.title}\n訪查委員：{team or '待排定'}",
                stamp=now,
                modified=visit.planned_at,
            )
        )
    return calendar(name, events)
