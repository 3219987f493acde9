"""Showing audit events to people: event types and field names in words, dates in ROC form.

Events store before/after as JSON (dates as ISO text); pages show them as 112/06/08.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingjian.rules import roc

from .events import EventType

FIELD_LABELS: dict[str, Any] = {
    "code": _("醫事機構代碼"),
    "name": _("名稱"),
    "name_en": _("英文名稱"),
    "type": _("機構類型"),
    "county": _("縣市"),
    "district": _("鄉鎮市區"),
    "address": _("地址"),
    "phone": _("電話"),
    "capacity": _("床數／服務量"),
    "opened_on": _("開業日期"),
    "suspended_on": _("停業日期"),
    "reopened_on": _("復業日期"),
    "closed_on": _("歇業日期"),
    "owner": _("負責人"),
    "since": _("起始日期"),
    "username": _("帳號"),
    "display_name": _("顯示名稱"),
    "email": _("電子郵件"),
    "is_active": _("啟用"),
    "is_demo": _("示範帳號"),
    "user": _("使用者"),
    "role": _("角色"),
    "institution": _("機構"),
    "revoked_at": _("撤銷時間"),
    "surveyor": _("評鑑委員"),
    "cycle_label": _("評鑑梯次"),
    "ended_at": _("結束時間"),
    "program_year": _("計畫年度"),
    "program_id": _("評鑑計畫代碼"),
    "program_title": _("評鑑計畫"),
    "result": _("評鑑結果"),
    "valid_from": _("效期起日"),
    "valid_until": _("效期迄日"),
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def event_label(event_type: str) -> str:
    """The event type in words (events.EventType); a type it does not know, as its key."""
    return str(EventType(event_type).label) if event_type in EventType.values else event_type


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def choices_of(subject_type: str) -> dict[str, dict[str, Any]]:
    """The labels of the stored codes (TPE, postpartum_home, office …) of the subject's model, by
    field name: read from the model's field choices, so this app needs to import none of them."""
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError):
        return {}
    return {
        field.name: dict(field.flatchoices)
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
    }


def display_value(value: Any, key: str = "", choices: dict[str, dict[str, Any]] | None = None) -> str:
    """One stored value as a person reads it: codes as their labels (CHOICES, from `choices_of`),
    ISO dates in ROC form, nested records flattened."""
    if value is None or value == "":
        return "—"
    labels = (choices or {}).get(key, {})
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, str) and _ISO_DATE.match(value):
        return roc.roc_date(dt.date.fromisoformat(value))
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return f"{roc.roc_date(local.date())} {local:%H:%M}"
    if isinstance(value, dict) and set(value) == {"name", "since"}:  # an owner term
        return str(
            _("%(name)s（自 %(since)s 起）") % {"name": value["name"], "since": display_value(value["since"])}
        )
    if isinstance(value, dict):
        return "，".join(f"{field_label(k)} {display_value(v, k, choices)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(display_value(v, "", choices) for v in value)
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and set(value) == {"name", "since"}:  # an owner term
        return str(
            _("%(name)s（自 %(since)s 起）") % {"name": value["name"], "since": display_value(value["since"])}
        )
    if isinstance(value, dict):
        return value
    return {} if value is None else {"": value}


def changes_of(event: Any) -> list[Change]:
    """The fields an event changed, before and after, in display form."""
    before = _as_dict(event.before)
    after = _as_dict(event.after)
    keys = list(dict.fromkeys([*before, *after]))
    choices = choices_of(event.subject_type)
    changes = [
        Change(
            field_label(k) if k else "",
            display_value(before.get(k), k, choices),
            display_value(after.get(k), k, choices),
        )
        for k in keys
    ]
    return [c for c in changes if not (c.before == "—" and c.after == "—")]
