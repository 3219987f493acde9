"""Which final results are published (issue 14 item 6): seed 002 §十二(二) publishes the postpartum
result list with both 合格 and 不合格 (§十三(二): a fail has no validity), so a finalised fail is
published without a certificate and never counts as valid; the JCT words are 通過 (seed 000)."""

from __future__ import annotations

import datetime as dt

from pingjian.web.applications.actions import do_record_notice_receipt
from pingjian.web.decisions import actions
from pingjian.web.decisions.approval import published_words, publishes_failures
from pingjian.web.registry.models import Certificate, RegistryEntry


def test_seed_002_a_finalised_postpartum_fail_is_published_without_certificate(item, office, approver):
    decision = actions.do_record_decision(
        item, actor=office, result="fail", reason="消防安全設備檢查不符合規定"
    )
    decided_on = dt.date.today() - dt.timedelta(days=40)
    actions.do_approve_decision(decision, actor=approver, today=decided_on)
    application = item.application
    application.refresh_from_db()
    application = do_record_notice_receipt(application, actor=office, received_on=decided_on)
    actions.do_finalize_decision(application, actor=office)
    entry = RegistryEntry.objects.get(institution=application.institution)
    assert (entry.result, entry.valid_from, entry.valid_until) == ("不合格", decided_on, None)
    assert not Certificate.objects.filter(entry=entry).exists()
    assert not entry.is_valid_on(dt.date.today())
    assert not RegistryEntry.objects.valid_on(dt.date.today()).filter(pk=entry.pk).exists()


def test_seeds_000_003_only_postpartum_publishes_fails_and_the_jct_says_pass_in_its_words():
    assert publishes_failures("postpartum-111")
    assert not publishes_failures("aesthetic-clinic-112") and not publishes_failures("psych-rehab-day-107")
    assert published_words("cell-therapy-clinic-112", "pass") == "通過"
    assert published_words("postpartum-111", "fail") == "不合格"
