"""What other apps (documents, reminders, cycles) and the public pages read from the registry.

`public_row` is the open data's one row: its keys are the documented, stable columns of
`/registry/export.csv` and `/registry/export.json` (EXPORT_COLUMNS, in order). Nothing private is
in it: no surveyor, no score, no reason of a revocation (the legal basis and date are public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from pingjian.web.accounts.permissions import institution_ids_of
from pingjian.web.core.institution_codes import normalise_code

from .models import (
    PASSING_RESULTS,
    Certificate,
    EntryStatus,
    FollowUp,
    FollowUpOutcome,
    RegistryChange,
    RegistryEntry,
    StatusAction,
)

# (column, its meaning in Chinese and English): documented on the registry page
EXPORT_COLUMNS: list[tuple[str, str, str]] = [
    ("institution_code", "醫事機構代碼", "institution code (10 characters)"),
    ("institution_name", "機構名稱", "institution name"),
    ("county", "縣市代碼", "county code"),
    ("county_name", "縣市", "county name"),
    ("institution_type", "機構類型代碼", "institution type code"),
    ("program_id", "評鑑計畫代碼", "program id"),
    ("program_title", "評鑑計畫", "program title"),
    ("result", "評鑑結果", "result as published (合格／不合格, 通過／不通過)"),
    ("status", "狀態代碼", "status: valid, revoked, abolished, suspended, terminated, withdrawn"),
    ("status_label", "狀態", "status in words"),
    ("status_changed_on", "狀態變更生效日", "date a revocation … took effect (YYYY-MM-DD), else empty"),
    ("valid_from", "效期起日", "validity start (YYYY-MM-DD)"),
    ("valid_until", "效期迄日", "validity end (YYYY-MM-DD), empty when none"),
    ("certificate_number", "證書字號", "certificate number, empty for a failing result"),
    ("published_at", "公告時間", "publication time (ISO 8601, +08:00)"),
]


def published() -> QuerySet[RegistryEntry]:
    return RegistryEntry.objects.visible_to(None).select_related("institution", "certificate")


def search(data: dict[str, Any], today: dt.date) -> QuerySet[RegistryEntry]:
    """The published entries matching a search form's cleaned DATA: valid today unless it asks for
    another day, a status, or the ended ones too."""
    entries = published()
    if data.get("q"):
        q = data["q"].strip()
        entries = entries.filter(Q(institution__name__icontains=q) | Q(institution__code=normalise_code(q)))
    for key, field in (
        ("county", "institution__county"),
        ("type", "institution__type"),
        ("program", "program_id"),
        ("result", "result"),
        ("status", "status"),
    ):
        if data.get(key):
            entries = entries.filter(**{field: data[key]})
    if data.get("valid_on"):
        entries = entries.valid_on(data["valid_on"])
    elif data.get("result") and data["result"] not in PASSING_RESULTS:
        pass  # a fail is never valid (valid_on): asking for fails lists the published fails
    elif not data.get("status") and not data.get("include_expired"):
        entries = entries.valid_on(today)
    return entries


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def public_row(entry: RegistryEntry) -> dict[str, str]:
    certificate = getattr(entry, "certificate", None)
    return {
        "institution_code": entry.institution.code,
        "institution_name": entry.institution.name,
        "county": entry.institution.county,
        "county_name": str(entry.institution.get_county_display()),
        "institution_type": entry.institution.type,
        "program_id": entry.program_id,
        "program_title": entry.program_title,
        "result": entry.result,
        "status": entry.status,
        "status_label": str(EntryStatus(entry.status).label),
        "status_changed_on": _iso(entry.status_changed_on) if entry.status != EntryStatus.VALID else "",
        "valid_from": _iso(entry.valid_from),
        "valid_until": _iso(entry.valid_until),
        "certificate_number": certificate.number if certificate else "",
        "published_at": timezone.localtime(entry.published_at).isoformat() if entry.published_at else "",
    }


def certificate_by_code(code: str) -> Certificate | None:
    """The published certificate whose verification code is CODE, or None (any other code)."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return (
        Certificate.objects.select_related("entry__institution")
        .filter(verification_code=code, entry__published_at__isnull=False)
        .first()
    )


def changes_since(since: dt.datetime, limit: int) -> list[RegistryChange]:
    return list(
        RegistryChange.objects.filter(at__gt=since, entry__published_at__isnull=False)
        .select_related("entry__institution", "entry__certificate")
        .order_by("at", "pk")[:limit]
    )


def status_actions_of(entry: RegistryEntry) -> QuerySet[StatusAction]:
    return entry.status_actions.order_by("-recorded_at", "-pk")


def ending_between(first: dt.date, last: dt.date) -> QuerySet[RegistryEntry]:
    """Published passing entries, still valid, whose validity ends between FIRST and LAST (the
    renewal reminders read these)."""
    return published().filter(
        status=EntryStatus.VALID, certificate__isnull=False, valid_until__gte=first, valid_until__lte=last
    )


def passing_entry_of(institution: Any, program_id: str) -> RegistryEntry | None:
    """The published passing entry of INSTITUTION for PROGRAM_ID still in force (not revoked,
    suspended …), the latest ending first: the validity a renewal (續約) is counted from."""
    return (
        published()
        .filter(institution=institution, program_id=program_id, status=EntryStatus.VALID)
        .filter(result__in=PASSING_RESULTS, valid_until__isnull=False)
        .order_by("-valid_until", "-pk")
        .first()
    )


def certificate_of_entry(user: Any, entry_id: int | None) -> Certificate | None:
    """The certificate of the published entry ENTRY_ID if USER may see it (its institution's members,
    the office: Certificate.visible_to), else None."""
    if entry_id is None:
        return None
    return (
        Certificate.objects.visible_to(user)
        .select_related("entry")
        .filter(entry_id=entry_id, entry__published_at__isnull=False)
        .first()
    )


def certificates_in_force(user: Any, today: dt.date) -> list[Certificate]:
    """The certificates in force today of the institutions USER is a member of (not every
    certificate the office may see): the institution's own dashboard."""
    entries = RegistryEntry.objects.visible_to(None).valid_on(today)
    return list(
        Certificate.objects.visible_to(user)
        .filter(entry__in=entries, entry__institution_id__in=institution_ids_of(user))
        .select_related("entry__institution")
        .order_by("entry__valid_until", "number")
    )


def follow_ups_of(user: Any, entry: RegistryEntry) -> QuerySet[FollowUp]:
    """ENTRY's follow-ups USER may see (FollowUp.visible_to: the office, the institution's members;
    for anyone else none, though the entry itself is public), by day."""
    return FollowUp.objects.visible_to(user).filter(entry=entry).order_by("day", "pk")


FOLLOW_UP_HORIZON = dt.timedelta(days=30)


def follow_ups_due(user: Any, today: dt.date) -> dict[str, list[FollowUp]]:
    """What the follow-ups within the validity ask of USER now (the office: all; an institution's
    members: their own): `upcoming` — planned within the next 30 days; `to_record` — planned, the
    day passed, no outcome yet; `improvement_due` — 限期改善 whose deadline has passed with no later
    follow-up of the entry (seed 002 §十四(一): 經限期改善而屆期未改善 may end the result)."""
    rows = list(
        FollowUp.objects.visible_to(user)
        .filter(entry__status=EntryStatus.VALID)
        .select_related("entry__institution")
        .order_by("day", "pk")
    )
    planned = [f for f in rows if f.outcome == FollowUpOutcome.PLANNED]
    later: dict[int, dt.date] = {}  # entry → the day of its latest follow-up
    for f in rows:
        later[f.entry_id] = max(later.get(f.entry_id, f.day), f.day)
    return {
        "upcoming": [f for f in planned if today <= f.day <= today + FOLLOW_UP_HORIZON],
        "to_record": [f for f in planned if f.day < today],
        "improvement_due": [
            f
            for f in rows
            if f.outcome == FollowUpOutcome.IMPROVEMENT
            and f.improve_by is not None
            and f.improve_by < today
            and later[f.entry_id] <= f.day
        ],
    }
