"""The dental review is the NHI reviewers' (role nhi) alone: others get 403 on its pages and 404
on its objects."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_nhi_reviewer


def visible_runs(queryset: Any, user: Any) -> Any:
    return queryset if is_nhi_reviewer(user) else queryset.none()


def visible_results(queryset: Any, user: Any) -> Any:
    return queryset if is_nhi_reviewer(user) else queryset.none()


rules.add_perm("dentalreview.view_quarterrun", is_nhi_reviewer)
rules.add_perm("dentalreview.add_quarterrun", is_nhi_reviewer)
rules.add_perm("dentalreview.view_clinicresult", is_nhi_reviewer)
