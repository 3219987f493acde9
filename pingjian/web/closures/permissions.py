"""Closures are public announcements: everyone signed in may read them (an institution sees why
its deadline moved); only office staff enter or withdraw them."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_office_operator


def visible_closures(queryset: Any, user: Any) -> Any:
    return queryset if getattr(user, "is_authenticated", False) else queryset.none()


rules.add_perm("closures.view_closure", rules.is_authenticated)
rules.add_perm("closures.add_closure", is_office_operator)
rules.add_perm("closures.delete_closure", is_office_operator)
