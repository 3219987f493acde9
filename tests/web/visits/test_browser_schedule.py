"""The schedule page's forms after planning, in a browser at tablet width: an institution's change
asked for a reason outside seed 002 §九(二) is refused with the rule named, one for a natural
disaster is made; the health bureau's attendance (§十(一)) is recorded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date
from pingjian.web.closures.calendar import closures_calendar
from tests.web.core.browser import open_tablet, screenshot

from .test_changes import planned  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def change_of(page, visit):  # type: ignore[no-untyped-def]
    """The 變更日期 button of VISIT's own row (the rows' order follows the planned days)."""
    return (
        page.locator(f"#chg-day-{visit.pk}")
        .locator("xpath=ancestor::form")
        .get_by_role("button", name="變更日期")
    )


def test_the_office_changes_a_date_only_for_a_reason_of_the_seed_and_records_the_bureau(
    live_server,
    page,
    office,
    planned,  # noqa: F811
):
    ours = planned[0]
    day = closures_calendar().next_workday(max(ours.day, planned[1].day), "臺北市")  # no visit there
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/visits/cycles/{ours.application.cycle_id}/schedule/")
    page.locator(f"#chg-day-{ours.pk}").fill(roc_date(day))
    page.locator(f"#chg-code-{ours.pk}").select_option(label="其他")
    page.locator(f"#chg-reason-{ours.pk}").fill("負責人出國")
    change_of(page, ours).click()
    assert "不接受受評機構要求變更訪查日期" in page.get_by_role("status").inner_text()

    page.locator(f"#chg-day-{ours.pk}").fill(roc_date(day))
    page.locator(f"#chg-half-{ours.pk}").select_option("pm")
    page.locator(f"#chg-code-{ours.pk}").select_option(label="天然災害")
    page.locator(f"#chg-reason-{ours.pk}").fill("地震後建物安全檢查")
    change_of(page, ours).click()
    row = page.locator("tbody tr").filter(has_text=ours.application.institution.name)
    expect(row).to_contain_text(roc_date(day))
    expect(row).to_contain_text("下午（人工固定）")

    page.locator(f"#bur-att-{ours.pk}").select_option("yes")
    page.locator(f"#bur-who-{ours.pk}").fill("臺北市政府衛生局 林科員")
    row.get_by_role("button", name="登錄").click()
    row = page.locator("tbody tr").filter(has_text=ours.application.institution.name)
    expect(row).to_contain_text("已會同：臺北市政府衛生局 林科員")
    screenshot(page, "schedule-change-and-bureau")
    watch.assert_clean()


def test_the_office_replaces_a_surveyor_from_the_schedule_page(
    live_server,
    page,
    office,
    planned,  # noqa: F811
):
    from .test_schedule import on_roster

    ours = planned[0]
    relief = on_roster("relief", ["nursing"], ours.application.cycle, office)
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/visits/cycles/{ours.application.cycle_id}/schedule/")
    row = page.locator("tbody tr").filter(has_text=ours.application.institution.name)
    row.get_by_text("更換委員").click()
    page.locator(f"#team-role-{ours.pk}").select_option(value="醫護")
    page.locator(f"#team-who-{ours.pk}").select_option(label=str(relief))
    page.locator(f"#team-reason-{ours.pk}").fill("原委員因病請假")
    row.get_by_role("button", name="更換").click()
    expect(page.get_by_role("status")).to_contain_text("已更換訪查委員")
    row = page.locator("tbody tr").filter(has_text=ours.application.institution.name)
    expect(row).to_contain_text(f"醫護：{relief}")
    expect(row).to_contain_text("（人工固定）")
    screenshot(page, "schedule-team-change")
    watch.assert_clean()
