from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notification", rules.is_authenticated & is_recipient)
rules.add_perm("notifications.change_notification", rules.is_authenticated & is_recipient)
