"""Who sees an application: whoever sees its institution (office, its own members, the county's
health bureau, an assigned unconflicted surveyor). The scope and the predicate are built from the
same facts as the institutions' (institutions.permissions)."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import institution_ids_of, is_office_operator, is_office_staff
from pingjian.web.institutions.models import Institution
from pingjian.web.institutions.permissions import can_view_institution


@rules.predicate
def can_view_application_institution(user: Any, application: Any) -> bool:
    return application is not None and can_view_institution.test(user, application.institution)


@rules.predicate
def is_member_of_applicant(user: Any, application: Any) -> bool:
    return application is not None and application.institution_id in institution_ids_of(user)


def visible_applications(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    return queryset.filter(institution__in=Institution.objects.visible_to(user))


rules.add_perm("applications.view_application", can_view_application_institution)
rules.add_perm("applications.add_application", is_office_operator | rules.is_authenticated)
rules.add_perm("applications.change_application", is_office_operator | is_member_of_applicant)
rules.add_perm("applications.record_fee", is_office_operator)
rules.add_perm("applications.unlock_application", is_office_operator)
