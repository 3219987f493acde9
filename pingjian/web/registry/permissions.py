"""The registry is public: published entries are visible to everyone. Publishing is the office's."""

from __future__ import annotations

import rules

from pingjian.web.accounts.permissions import is_office_staff


@rules.predicate
def is_published(user, entry) -> bool:  # type: ignore[no-untyped-def]
    return entry is not None and entry.published_at is not None


rules.add_perm("registry.view_registryentry", is_published | is_office_staff)
rules.add_perm("registry.add_registryentry", is_office_staff)
rules.add_perm("registry.change_registryentry", is_office_staff)
