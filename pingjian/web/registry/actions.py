"""State changes of the public registry (do_<verb>_<noun>(..., actor=...)), audited here.

The registry is fed only by decisions and the events after them (issue 14): nothing here is typed
in by hand. `do_publish_result` is the one door a final result comes in by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType

from .models import RegistryEntry


@transaction.atomic
def do_publish_result(
    *,
    institution: Any,
    program_id: str,
    program_title: str,
    result: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    source: str,
    actor: Any,
) -> RegistryEntry:
    """Publish a final result of PROGRAM_ID for INSTITUTION. SOURCE names what it comes from (the
    application's reference number) and goes into the audit record."""
    entry = RegistryEntry.objects.create(
        institution=institution,
        program_id=program_id,
        program_title=program_title,
        result=result,
        valid_from=valid_from,
        valid_until=valid_until,
        published_at=timezone.now(),
    )
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_PUBLISHED,
        subject=entry,
        after={
            "program_id": program_id,
            "result": result,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        reason=source,
    )
    return entry
