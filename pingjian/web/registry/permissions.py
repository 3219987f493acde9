"""The registry is public: published entries are visible to everyone. Publishing is the office's.
A published entry's follow-ups (追蹤訪查) are not public: the office and the institution's members."""

from __future__ import annotations

import rules

from pingjian.web.accounts.permissions import (
    bureau_counties_of,
    institution_ids_of,
    is_bureau_officer,
    is_office_operator,
    is_office_staff,
)


@rules.predicate
def is_published(user, entry) -> bool:  # type: ignore[no-untyped-def]
    return entry is not None and entry.published_at is not None


rules.add_perm("registry.view_registryentry", is_published | is_office_staff)
rules.add_perm("registry.add_registryentry", is_office_staff)
rules.add_perm("registry.change_registryentry", is_office_staff)


@rules.predicate
def is_member_of_certified(user, certificate) -> bool:  # type: ignore[no-untyped-def]
    return certificate is not None and certificate.entry.institution_id in institution_ids_of(user)


# a certificate: the office and the certified institution's members (the public verifies by code)
rules.add_perm("registry.view_certificate", is_office_staff | is_member_of_certified)
rules.add_perm("registry.view_statusaction", is_office_staff | is_member_of_certified)
rules.add_perm("registry.change_status", is_office_operator)


@rules.predicate
def is_bureau_of_entry_county(user, entry) -> bool:  # type: ignore[no-untyped-def]
    """Without an entry: any bureau officer (the model-level check); with one: its county's only."""
    return entry is None or entry.institution.county in bureau_counties_of(user)


rules.add_perm("registry.report_abolition", is_bureau_officer & is_bureau_of_entry_county)


@rules.predicate
def is_member_of_entry_institution(user, entry) -> bool:  # type: ignore[no-untyped-def]
    return entry is not None and entry.institution_id in institution_ids_of(user)


@rules.predicate
def is_member_of_followed(user, follow_up) -> bool:  # type: ignore[no-untyped-def]
    return follow_up is not None and follow_up.entry.institution_id in institution_ids_of(user)


# follow-ups within the validity: seen by the office and the followed institution's members (never
# the public, though the entry's page is public); planned and recorded by office operators
rules.add_perm("registry.view_followup", is_office_staff | is_member_of_followed)
rules.add_perm("registry.view_entry_follow_ups", is_office_staff | is_member_of_entry_institution)
rules.add_perm("registry.plan_follow_up", is_office_operator)
rules.add_perm("registry.record_follow_up", is_office_operator)
