"""A health bureau officer records the preliminary review, safety results and survey replies of the
institutions in their county; the office sees them; the institution sees its own."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import bureau_counties_of


@rules.predicate
def is_bureau_of_application(user: Any, application: Any) -> bool:
    return application is not None and application.institution.county in bureau_counties_of(user)


rules.add_perm("bureau.review_application", is_bureau_of_application)
