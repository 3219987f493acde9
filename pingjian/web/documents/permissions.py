"""Who may download an application's documents (補件通知函, 申請資料摘要): the members of the
applicant institution and office staff. The object is looked up through
`core.access.get_object_for_user(Application, …)`, so anyone outside the application's scope gets
404; a user who sees the application but is neither (the county's health bureau, a surveyor) gets
403 for the documents, as for any action on a visible object."""

from __future__ import annotations

import rules

from pingjian.web.accounts.permissions import is_office_staff
from pingjian.web.applications.permissions import is_member_of_applicant

DOWNLOAD = "documents.download_application_documents"

can_download_documents = is_office_staff | is_member_of_applicant

rules.add_perm(DOWNLOAD, can_download_documents)
