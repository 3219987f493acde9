"""What is due and overdue, per role, computed from the applications' dates (set by the rules
core's deadline functions when each transition fired) and the cycles' dates, against today in
Taipei. Each entry says what, for whom, by when, and how many working days are left (the core's
calendar with the closures for work of the institution's county), so "due in 3 working days" skips
the weekend, the holidays and a typhoon day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pingjian.rules.errors import CalendarError
from pingjian.web.accounts.permissions import (
    bureau_counties_of,
    institution_ids_of,
    is_office_operator,
    roles_of,
)
from pingjian.web.accounts.roles import Role
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.closures.calendar import county_calendar, county_name


@dataclass(frozen=True)
class DueItem:
    kind: Any  # 補件、申報資料、資格審查 … (lazily translated: the dashboard speaks the reader's language)
    label: str
    due: dt.date | None
    url: str
    overdue: bool
    working_days_left: int | None


def _due_item(
    kind: str, app: Application, due: dt.date | None, today: dt.date, calendars: dict[str, Any]
) -> DueItem:
    left = None
    if due is not None and due >= today:
        try:
            county = app.institution.county
            if county not in calendars:
                calendars[county] = county_calendar(county)
            left = calendars[county].workdays_between(today, due, county_name(county))
        except CalendarError:
            left = None
    return DueItem(
        kind,
        f"{app.institution.name}（{app.cycle.title}）",
        due,
        reverse("applications:detail", args=[app.pk]),
        due is not None and due < today,
        left,
    )


def due_items(user: Any, today: dt.date) -> list[DueItem]:
    calendars: dict[str, Any] = {}  # one closures query per county

    def _item(kind: str, app: Application, due: dt.date | None, today: dt.date) -> DueItem:
        return _due_item(kind, app, due, today, calendars)

    roles = roles_of(user)
    apps = Application.objects.visible_to(user).select_related("institution", "cycle").open()
    items: list[DueItem] = []
    if is_office_operator(user):
        for app in apps.filter(state__in=[State.SUBMITTED, State.RESUBMITTED, State.QUALIFICATION_REVIEW]):
            items.append(
                _item(
                    _("待資格審查") if app.state != State.RESUBMITTED else _("已補件待複審"), app, None, today
                )
            )
        for app in apps.filter(state=State.SUPPLEMENT_REQUESTED, supplement_due__lt=today):
            items.append(_item(_("補件逾期"), app, app.supplement_due, today))
        for app in apps.filter(state=State.EVIDENCE_DUE):
            items.append(_item(_("申報資料繳交"), app, app.evidence_due, today))
        for app in apps.filter(state=State.APPEAL):
            items.append(_item(_("申復待處理"), app, None, today))
        # closable: the appeal period is over (the day after appeal_due has come) or was waived
        closable = apps.filter(state=State.DECIDED).filter(
            Q(appeal_waived_on__isnull=False) | Q(appeal_due__lt=today)
        )
        for app in closable:
            items.append(_item(_("待確定結果"), app, None, today))
    if Role.INSTITUTION in roles:
        mine = apps.filter(institution_id__in=institution_ids_of(user))
        for app in mine.filter(state=State.DRAFT):
            items.append(_item(_("申請尚未送出"), app, app.cycle.application_closes, today))
        for app in mine.filter(state=State.SUPPLEMENT_REQUESTED):
            items.append(_item(_("補件"), app, app.supplement_due, today))
        for app in mine.filter(state=State.EVIDENCE_DUE):
            items.append(_item(_("繳交申報資料"), app, app.evidence_due, today))
        for app in mine.filter(
            state=State.DECIDED,
            appeal_due__isnull=False,
            appeal_due__gte=today,
            appeal_waived_on__isnull=True,
        ):
            items.append(_item(_("申復期限"), app, app.appeal_due, today))
        for app in mine.filter(fee_amount__gt=0, fee_paid_on__isnull=True):
            items.append(_item(_("繳交認證費用"), app, None, today))
    if Role.BUREAU in roles:
        county_apps = apps.filter(institution__county__in=bureau_counties_of(user))
        for app in county_apps.filter(cycle__preliminary_review_due__isnull=False).prefetch_related(
            "preliminary_checks", "safety_certificates"
        ):
            rows = len(app.program_version.program().preliminary_review)
            done = len(app.preliminary_checks.all()) + len(app.safety_certificates.all())
            if done < rows:
                items.append(_item(_("初審"), app, app.cycle.preliminary_review_due, today))
            for cert in app.safety_certificates.all():
                if cert.status == "remediation_pending":
                    items.append(_item(_("消防／建築限期改善"), app, cert.remediation_due, today))
        for app in county_apps.filter(survey_reply__status="sent"):
            items.append(_item(_("調查回復單待查證"), app, None, today))
    if Role.SURVEYOR in roles:
        for app in apps.filter(state__in=[State.EVIDENCE_DUE, State.SCHEDULED], visit_date__isnull=False):
            items.append(_item(_("實地訪查"), app, app.visit_date, today))
    items.sort(key=lambda i: (not i.overdue, i.due or dt.date.max, i.label))
    return items
