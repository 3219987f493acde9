"""Programs are public rules: every signed-in user may read published versions; drafts and every
change belong to program administrators (計畫管理者). The program offices' letterheads
(ProgramOffice: address, phone … printed on letters) are the office's own data: office staff keep
them in the admin."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_office_staff, is_program_admin


@rules.predicate
def is_published_version(user: Any, version: Any) -> bool:
    return version is not None and version.status == "published"


def visible_versions(queryset: Any, user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_office_staff(user):
        return queryset
    return queryset.filter(status="published")


rules.add_perm(
    "programs.view_programversion", is_office_staff | (rules.is_authenticated & is_published_version)
)
rules.add_perm("programs.change_programversion", is_program_admin)
rules.add_perm("programs.publish_programversion", is_program_admin)
rules.add_perm("programs.load_programs", is_program_admin)

# The letterhead printed on letters: kept by the program office (and program administrators).
rules.add_perm("programs.view_programoffice", is_office_staff)
rules.add_perm("programs.add_programoffice", is_office_staff)
rules.add_perm("programs.change_programoffice", is_office_staff)
