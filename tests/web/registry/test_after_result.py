"""After the result (issue 14 item 7): reminders before validity ends, and a failed or abolished
postpartum institution in the next target list (seed 002 §五(三), §五(四))."""

from __future__ import annotations

import datetime as dt

from pingjian.web.cycles.actions import defaults_for, do_compute_targets, do_create_cycle
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.notifications.models import Notification
from pingjian.web.registry.actions import do_change_status, do_publish_result
from pingjian.web.registry.models import EntryStatus
from pingjian.web.reminders.validity import send_validity_reminders, stage_for


def _publish(institution, office, result, valid_from, valid_until, program_id="postpartum-111"):
    return do_publish_result(
        institution=institution, program_id=program_id, program_title="產後護理之家評鑑", result=result,
        valid_from=valid_from, valid_until=valid_until, source="測試", actor=office,
    )  # fmt: skip


def test_validity_reminders_once_per_stage(ours, office, institution_user):
    today = dt.date(2026, 1, 1)
    entry = _publish(ours, office, "合格", dt.date(2023, 1, 1), today + dt.timedelta(days=100))
    sent = send_validity_reminders(today)
    assert [s.reminder.stage for s in sent] == [180]
    assert "合格效期至" in sent[0].subject and ours.name in sent[0].subject
    assert send_validity_reminders(today) == []  # once per stage
    later = send_validity_reminders(today + dt.timedelta(days=75))  # 25 days left: the last stage
    assert [s.reminder.stage for s in later] == [30]
    assert Notification.objects.filter(recipient=institution_user).count() == 2
    assert Notification.objects.filter(recipient=office).exists()  # the last stage tells the office too
    do_change_status(
        entry, status=EntryStatus.WITHDRAWN, reason="歇業", legal_basis="自願退出",
        effective_on=today, actor=office,
    )  # fmt: skip
    assert send_validity_reminders(today + dt.timedelta(days=95)) == []  # an ended result is not reminded
    assert (stage_for(181), stage_for(180), stage_for(31), stage_for(0)) == (None, 180, 90, 30)


def test_seed_002_5_3_and_5_4_failed_and_abolished_homes_enter_the_target_list(programs, ours, office):
    """seed 002 §五(三) 108–110 年不合格且 111 年無效期者、§五(四) 合格受撤銷或廢止處分者."""
    _publish(ours, office, "不合格", dt.date(2021, 1, 1), None)  # the 109 evaluation failed
    abolished_home = do_create_institution(
        actor=None, code="0190000077", name="晨光產後護理之家", type=InstitutionType.POSTPARTUM_HOME,
        county=ours.county, address="臺北市中山區南京東路二段7號", opened_on=dt.date(2010, 1, 1),
    )  # fmt: skip
    passed = _publish(abolished_home, office, "合格", dt.date(2020, 1, 1), dt.date(2023, 12, 31))
    do_change_status(
        passed, status=EntryStatus.ABOLISHED, reason="屆期未改善", legal_basis="行政程序法第123條",
        effective_on=dt.date(2021, 6, 1), actor=office,
    )  # fmt: skip
    version = programs["postpartum-111"]
    cycle = do_create_cycle(version, actor=office, **defaults_for(version))
    do_compute_targets(cycle, actor=office)
    clauses = {t.institution_id: t.clause for t in cycle.targets.all()}
    assert clauses[ours.pk] == "5.3"
    assert clauses[abolished_home.pk] == "5.4"
