"""The program offices' letterheads (ProgramOffice) are kept in the Django admin by office staff
with admin-site access: listed, added and changed there, every save audited through
programs.actions.do_save_program_office, never deleted; others are turned away."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from pingjian.web.accounts.actions import do_set_admin_site_access
from pingjian.web.audit.models import AuditEvent
from pingjian.web.programs.models import ProgramOffice
from tests.web.support import client_for

JCT = "財團法人醫院評鑑暨醫療品質策進會 (JCT)"
URL = "/admin/programs/programoffice/"
FORM = {
    "owner": JCT,
    "unit": "診所認證辦公室",
    "address": "220新北市板橋區文化路一段188號5樓",
    "phone": "(02)2960-1188",
    "fax": "",
    "email": "clinic-cert@example.org",
}


@pytest.fixture
def staff_office(office):
    return do_set_admin_site_access(office, allowed=True, actor=None, reason="維護函稿資料")


def test_office_staff_add_and_change_the_letterhead_in_the_admin_audited(programs, staff_office):
    client = client_for(staff_office)
    index = client.get("/admin/")
    assert index.status_code == 200 and "評鑑辦公室（函稿資料）" in index.content.decode()
    form = client.get(f"{URL}add/").content.decode()
    assert JCT in form and "衛生福利部" in form  # the owners of the published program files
    assert client.post(f"{URL}add/", {**FORM, "_save": "1"}).status_code == 302
    row = ProgramOffice.objects.get(owner=JCT)
    created = AuditEvent.objects.for_subject(row).get(event_type="program_office.created")
    assert created.actor_id == staff_office.pk and created.after["phone"] == "(02)2960-1188"
    response = client.post(f"{URL}{row.pk}/change/", {**FORM, "phone": "(02)2960-2000", "_save": "1"})
    assert response.status_code == 302
    changed = AuditEvent.objects.for_subject(row).get(event_type="program_office.changed")
    assert (changed.before, changed.after) == ({"phone": "(02)2960-1188"}, {"phone": "(02)2960-2000"})
    assert client.get(f"{URL}{row.pk}/delete/").status_code == 403
    assert client.post(f"{URL}add/", {**FORM, "owner": "不存在的機關", "_save": "1"}).status_code == 200
    assert ProgramOffice.objects.count() == 1  # an owner no program file names is refused


def test_the_admin_turns_away_accounts_without_admin_access_or_the_role(programs, office, institution_user):
    assert client_for(office).get(URL).status_code == 302  # no admin-site access: to the admin login
    do_set_admin_site_access(institution_user, allowed=True, actor=None, reason="測試")
    client = client_for(institution_user)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}add/", {**FORM, "_save": "1"}).status_code == 403
    assert "評鑑辦公室（函稿資料）" not in client.get("/admin/").content.decode()
    assert not ProgramOffice.objects.exists()


def test_admin_site_access_is_the_offices_to_grant_and_is_audited(office, institution_user):
    with pytest.raises(PermissionDenied):
        do_set_admin_site_access(office, allowed=True, actor=institution_user, reason="x")
    do_set_admin_site_access(institution_user, allowed=True, actor=office, reason="協助維護")
    institution_user.refresh_from_db()
    assert institution_user.is_staff
    event = AuditEvent.objects.for_subject(institution_user).get(event_type="user.admin_access_changed")
    assert (event.before, event.after, event.actor_id) == ({"is_staff": False}, {"is_staff": True}, office.pk)
