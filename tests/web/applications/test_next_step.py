"""What to do next, first on the application page, and irreversible steps confirmed (issue 18)."""

from __future__ import annotations

import pytest

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.dashboard.demo import seed_demo
from tests.web.support import client_for


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return seed_demo()


def test_the_institution_sees_the_supplement_items_and_deadline_before_anything_else(db, demo):
    own = Application.objects.get(institution__name="安心產後護理之家", state=State.SUPPLEMENT_REQUESTED)
    page = client_for(demo.users["institution"]).get(f"/applications/{own.pk}/").content.decode()
    panel = page[page.index('data-testid="next-step"') :]
    assert page.index('data-testid="next-step"') < page.index('class="facts"') < page.index('id="evidence"')
    assert "請補正最近一次消防安全設備檢查紀錄表之地方政府證明文件。" in panel[: panel.index("</section>")]
    assert "補件期限" in panel and "個工作天" in panel[: panel.index("</section>")]
    assert 'data-transition="resubmit"' in panel[: panel.index("</section>")]  # the main step, right there


def test_each_supplement_line_is_an_item(db, demo):
    from pingjian.web.dashboard.demo.cycles import CURRENT_JCT_TITLE

    app = Application.objects.get(cycle__title=CURRENT_JCT_TITLE, renews__isnull=True)  # not the renewal
    office = client_for(demo.users["office"])
    page = office.get(f"/applications/{app.pk}/").content.decode()
    items = page[page.index('data-testid="supplement-items"') :]
    items = items[: items.index("</ol>")]
    assert items.count("<li>") == 2 and "1. 細胞治療技術施行計畫核准函影本" in items


def test_after_acceptance_the_institution_is_told_what_happens_next_and_withdrawal_is_apart(
    application, role_users, office
):
    actions.fire(application, "submit", actor=role_users["institution"])
    actions.fire(application, "start_review", actor=office)
    application.refresh_from_db()
    application.fee_amount = None
    application.save(update_fields=["fee_amount"])
    actions.fire(Application.objects.get(pk=application.pk), "accept", actor=office)
    page = client_for(role_users["institution"]).get(f"/applications/{application.pk}/").content.decode()
    step = page[page.index('data-testid="next-step"') :]
    step = step[: step.index("</section>")]
    assert "評鑑辦公室將通知實地訪查日期" in step and "撤回申請" not in step
    irreversible = page[page.index('data-testid="irreversible"') :]
    assert 'data-transition="withdraw"' in irreversible and 'class="danger"' in irreversible
    assert "此動作無法復原" in irreversible and "data-confirm=" in irreversible


def test_withdrawal_without_confirming_the_consequence_changes_nothing(application, role_users):
    member = client_for(role_users["institution"])
    url = f"/applications/{application.pk}/transition/withdraw/"
    refused = member.post(url, {"withdraw-version": 1, "withdraw-message": "不再受評"})
    assert refused.status_code == 422
    assert Application.objects.get(pk=application.pk).state == State.DRAFT
    done = member.post(url, {"withdraw-version": 1, "withdraw-message": "不再受評", "withdraw-confirm": "on"})
    assert done.status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN
