"""Evidence follows its application: whoever may see the application sees its files' metadata and
may download them (office, the institution itself, its county's bureau, an assigned unconflicted
surveyor reviewing before the visit); only the institution uploads; only the office comments."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_office_operator
from pingjian.web.applications.permissions import can_view_application_institution, is_member_of_applicant


@rules.predicate
def can_view_evidence(user: Any, evidence: Any) -> bool:
    return evidence is not None and can_view_application_institution.test(user, evidence.application)


rules.add_perm("evidence.view_evidencefile", can_view_evidence)
rules.add_perm("evidence.upload_evidence", is_member_of_applicant)
rules.add_perm("evidence.comment_evidence", is_office_operator)
