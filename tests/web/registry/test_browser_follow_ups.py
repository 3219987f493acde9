"""The office plans a follow-up within the validity on a registry entry's page (seed 000:
合格效期內進行實地追蹤) and records 限期改善 with its deadline (seed 002 §十四(一): 經限期改善), in a
browser at tablet width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.web.registry.actions import do_publish_result
from pingjian.web.registry.models import FollowUp
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import TODAY

pytestmark = pytest.mark.browser


def test_the_office_plans_a_follow_up_and_records_improvement_by_a_deadline(live_server, page, ours, office):
    entry = do_publish_result(
        institution=ours, program_id="postpartum-111", program_title="產後護理機構評鑑", result="合格",
        valid_from=TODAY - dt.timedelta(days=400), valid_until=TODAY + dt.timedelta(days=700), source="測試",
        actor=office,
    )  # fmt: skip
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/registry/{entry.pk}/")
    section = page.get_by_test_id("follow-ups")
    expect(section.get_by_test_id("no-follow-ups")).to_be_visible()

    # a day after the validity is refused, the validity named in ROC dates
    plan = page.get_by_test_id("plan-follow-up")
    plan.get_by_label("追蹤日期").fill(roc_date(entry.valid_until + dt.timedelta(days=1)))
    plan.get_by_role("button", name="排定").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"追蹤日期須在合格效期內（{roc_date_long(entry.valid_from)}至{roc_date_long(entry.valid_until)}）"
    )

    plan = page.get_by_test_id("plan-follow-up")
    plan.get_by_label("追蹤日期").fill(roc_date(TODAY))
    plan.get_by_label("追蹤方式").select_option(label="實地追蹤")
    plan.get_by_role("button", name="排定").click()
    expect(page.get_by_role("status")).to_contain_text(f"已排定實地追蹤：{roc_date_long(TODAY)}")
    follow_up = FollowUp.objects.get(entry=entry)
    row = page.get_by_test_id(f"follow-up-{follow_up.pk}")
    expect(row).to_contain_text(roc_date_long(TODAY))
    expect(row).to_contain_text("已排定")

    # 限期改善 without its deadline is refused; with it, recorded
    improve_by = TODAY + dt.timedelta(days=60)
    record = page.get_by_test_id(f"record-follow-up-{follow_up.pk}")
    record.get_by_label("追蹤結果").select_option(label="限期改善")
    record.get_by_label("追蹤發現").fill("感染管制紀錄不全")
    record.get_by_role("button", name="登錄追蹤結果").click()
    expect(page.get_by_role("status")).to_contain_text("限期改善須填寫改善期限")

    record = page.get_by_test_id(f"record-follow-up-{follow_up.pk}")
    record.get_by_label("追蹤結果").select_option(label="限期改善")
    record.get_by_label("追蹤發現").fill("感染管制紀錄不全")
    record.get_by_label("改善期限").fill(roc_date(improve_by))
    record.get_by_role("button", name="登錄追蹤結果").click()
    expect(page.get_by_role("status")).to_contain_text("已登錄追蹤結果：限期改善")
    row = page.get_by_test_id(f"follow-up-{follow_up.pk}")
    expect(row).to_contain_text("限期改善")
    expect(row).to_contain_text("感染管制紀錄不全")
    expect(row).to_contain_text(roc_date_long(improve_by))
    expect(page.get_by_test_id(f"record-follow-up-{follow_up.pk}")).to_have_count(0)  # recorded once
    screenshot(page, "registry-follow-up")
    watch.assert_clean()
