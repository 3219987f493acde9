"""Records with legal weight bound to the audit events that set them (法律效果之紀錄).

An application's result, total and decision day, a registry entry's validity: whoever edits such a
column straight in the database leaves the chain intact, since no event was written. Each app that
holds such records names them in an `audit_bindings.py` (found by discovery) as
`BINDINGS = [Binding(Model, ("field", …))]`. Every change of those fields goes through the app's
actions, whose events carry the new value in `after` (the snapshot keys `changed_fields` keeps), so
replaying a record's events in seq order gives the value each field must hold now; a field no event
set must still hold the field's default. `check_bindings()` reports every stored value that differs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from pingjian.web.core.discovery import domain_modules

from .chain import normalise
from .models import AuditEvent


@dataclass(frozen=True)
class Binding:
    model: type[models.Model]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class BindingMismatch:
    subject_type: str
    subject_id: str
    subject_label: str
    field: str
    stored: Any
    expected: Any
    seq: int | None  # the event that set the expected value; None: no event ever set the field

    @property
    def message(self) -> str:
        verbose = self.field
        where = f"{self.subject_type} #{self.subject_id}" + (
            f" ({self.subject_label})" if self.subject_label else ""
        )
        source = (
            f"audit event #{self.seq} set {self.expected!r}"
            if self.seq
            else f"no audit event set it (default {self.expected!r})"
        )
        return (
            f"{where}: {verbose} is {self.stored!r} in the database but {source}: the row was edited directly"
        )


def bindings() -> list[Binding]:
    found: list[Binding] = []
    for _app, module in domain_modules("audit_bindings"):
        found.extend(getattr(module, "BINDINGS", ()))
    return found


def check_bindings() -> list[BindingMismatch]:
    mismatches: list[BindingMismatch] = []
    for binding in bindings():
        mismatches.extend(check_binding(binding))
    return mismatches


def check_binding(binding: Binding) -> list[BindingMismatch]:
    meta = binding.model._meta
    label = meta.label_lower
    fields = binding.fields
    defaults = {name: normalise(meta.get_field(name).get_default()) for name in fields}
    decimals = {name for name in fields if isinstance(meta.get_field(name), models.DecimalField)}
    expected: dict[str, dict[str, tuple[Any, int]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    events = (
        AuditEvent.objects.filter(subject_type=label)
        .order_by("seq")
        .values_list("subject_id", "seq", "after", "subject_label")
    )
    for subject_id, seq, after, subject_label in events.iterator(chunk_size=2000):
        labels[subject_id] = subject_label
        if isinstance(after, dict):
            for name in fields:
                if name in after:
                    expected[subject_id][name] = (after[name], seq)
    mismatches = []
    rows = binding.model._base_manager.order_by("pk").values_list("pk", *fields)
    for pk, *values in rows.iterator(chunk_size=2000):
        subject_id = str(pk)
        for name, value in zip(fields, values, strict=True):
            want, seq = expected[subject_id].get(name, (defaults[name], None))
            stored = normalise(value)
            if not _same(stored, want, numeric=name in decimals):
                mismatches.append(
                    BindingMismatch(label, subject_id, labels.get(subject_id, ""), name, stored, want, seq)
                )
    return mismatches


def _same(stored: Any, expected: Any, *, numeric: bool) -> bool:
    """Equal as JSON gives them back; decimals by value ("65" is "65.00", as the column keeps it)."""
    if stored == expected:
        return True
    if numeric and isinstance(stored, str) and isinstance(expected, str | int):
        try:
            return Decimal(stored) == Decimal(str(expected))
        except InvalidOperation:
            return False
    return False
