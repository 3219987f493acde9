"""The deadlines dashboard per role, computed with the working-day calendar, and notifications."""

from __future__ import annotations

import datetime as dt

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.notifications.models import Notification
from pingjian.web.reminders.due import due_items
from tests.web.support import client_for


def test_each_role_sees_what_is_due_and_what_is_overdue(application, role_users, office):
    member = role_users["institution"]
    actions.do_submit_application(application, actor=member)
    kinds = [i.kind for i in due_items(office, dt.date.today())]
    assert "待資格審查" in kinds
    app = actions.do_start_review(Application.objects.get(pk=application.pk), actor=office)
    app = actions.do_request_supplement(app, actor=office, message="補件", today=dt.date(2026, 2, 11))
    # 2026-02-11 (Wed): 春節 2/14–2/22 → the 5th working day after is 2026-02-25
    assert app.supplement_due == dt.date(2026, 2, 25)
    mine = due_items(member, dt.date(2026, 2, 12))
    assert [(i.kind, i.due, i.overdue, i.working_days_left) for i in mine if i.kind == "補件"] == [
        ("補件", dt.date(2026, 2, 25), False, 4)
    ]
    overdue = [i for i in due_items(office, dt.date(2026, 2, 26)) if i.kind == "補件逾期"]
    assert overdue and overdue[0].overdue
    assert not [i for i in due_items(role_users["nhi"], dt.date(2026, 2, 26))]


def test_the_bureau_sees_its_preliminary_reviews_due(application, bureau):
    items = due_items(bureau, dt.date.today())
    assert [i.kind for i in items] == ["初審"]


def test_dashboard_shows_the_panels_and_notifications_can_be_read(application, role_users, office):
    actions.do_submit_application(application, actor=role_users["institution"])
    page = client_for(office).get("/dashboard/").content.decode()
    assert "待辦與期限" in page and "待資格審查" in page and "送出申請" in page
    assert Notification.objects.filter(recipient=office).unread().count() == 1
    client_for(office).post("/notifications/read/")
    assert Notification.objects.filter(recipient=office).unread().count() == 0
    assert client_for(role_users["outsider"]).get("/notifications/").status_code == 200
