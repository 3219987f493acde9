"""The JCT 3-year renewal (issue 14 item 7): seed 000 (認證結果「通過/不通過」, 認證效期「通過者3年」)
and seed 001 (醫策會認證) — a finalised pass of a JCT program opens, in the last 12 months of its
validity, a new application in the open cycle of the program, linked to the old one (續約自／續約為)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications import actions, views
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.models import AuditEvent
from pingjian.web.registry.actions import do_publish_result
from tests.web.support import TODAY, client_for, make_cycle, make_user


def _finalised_pass(version, institution, office, *, valid_until: dt.date) -> Application:
    """A past cycle's application of VERSION, finalised as a pass and published with 3 years of
    validity ending VALID_UNTIL (seed 000: 通過者3年)."""
    cycle = make_cycle(
        version,
        office,
        title=f"{version.title}（前次梯次）",
        application_opens=TODAY - dt.timedelta(days=1200),
        application_closes=TODAY - dt.timedelta(days=1100),
        visit_opens=TODAY - dt.timedelta(days=1090),
        visit_closes=TODAY - dt.timedelta(days=1000),
    )
    old = actions.do_open_application(cycle, institution, actor=office)
    Application.objects.filter(pk=old.pk).update(
        state=State.FINAL, result="pass", decided_on=valid_until - dt.timedelta(days=3 * 365)
    )
    do_publish_result(
        institution=institution,
        program_id=version.program_id,
        program_title=version.title,
        result="通過",
        valid_from=valid_until - dt.timedelta(days=3 * 365),
        valid_until=valid_until,
        source=f"申請案 #{old.pk}",
        actor=None,
    )
    old.refresh_from_db()
    return old


@pytest.fixture
def jct_pass(programs, clinic, office):
    """Seed 000: an aesthetic-clinic certification, 3 years, ending in 100 days."""
    return _finalised_pass(
        programs["aesthetic-clinic-112"], clinic, office, valid_until=TODAY + dt.timedelta(100)
    )


def test_seed_000_a_jct_pass_in_its_last_12_months_opens_a_linked_renewal(jct_pass, jct_cycle, clinic_user):
    client = client_for(clinic_user)
    page = client.get(f"/applications/{jct_pass.pk}/").content.decode()
    assert "開啟續約申請案" in page and roc_date_long(TODAY + dt.timedelta(100)) in page
    response = client.post(f"/applications/{jct_pass.pk}/renewal/")
    renewal = Application.objects.get(renews=jct_pass)
    assert response.status_code == 302 and response["Location"] == f"/applications/{renewal.pk}/"
    assert (
        renewal.cycle == jct_cycle
        and renewal.state == State.DRAFT
        and renewal.institution == jct_pass.institution
    )
    event = AuditEvent.objects.for_subject(jct_pass).get(event_type="application.renewal_opened")
    assert event.actor_id == clinic_user.pk
    new_page = client.get(f"/applications/{renewal.pk}/").content.decode()
    assert "續約自" in new_page and f"/applications/{jct_pass.pk}/" in new_page
    old_page = client.get(f"/applications/{jct_pass.pk}/").content.decode()
    assert "續約為" in old_page and f"/applications/{renewal.pk}/" in old_page
    assert 'data-testid="renewal-form"' not in old_page  # once
    with pytest.raises(ValidationError, match="已開啟續約"):
        actions.do_open_renewal(jct_pass, actor=clinic_user)


def test_seed_000_too_early_is_refused_naming_the_last_day_of_validity(programs, clinic, office, jct_cycle):
    last = TODAY + dt.timedelta(days=500)
    old = _finalised_pass(programs["aesthetic-clinic-112"], clinic, office, valid_until=last)
    with pytest.raises(ValidationError) as refused:
        actions.do_open_renewal(old, actor=office)
    assert roc_date_long(last) in refused.value.messages[0] and "最後12個月" in refused.value.messages[0]
    assert not Application.objects.filter(renews=old).exists()
    # the API answers the same refusal as 422, nothing written
    response = client_for(office).post(f"/api/applications/{old.pk}/renewal", content_type="application/json")
    assert response.status_code == 422 and roc_date_long(last) in response.json()["detail"][0]
    assert not Application.objects.filter(renews=old).exists()


def test_seed_000_the_window_is_the_last_12_months_to_the_day(jct_pass, jct_cycle, office):
    last = TODAY + dt.timedelta(100)
    first = actions.renewal_window(jct_pass)[0]
    assert first == last.replace(year=last.year - 1) + dt.timedelta(days=1)
    assert "最後12個月" in actions.renewal_refusal(jct_pass, first - dt.timedelta(days=1))
    assert "最後12個月" not in actions.renewal_refusal(jct_pass, first)  # in the window (no cycle open then)
    assert actions.renewal_refusal(jct_pass, TODAY) is None
    assert "屆滿" in actions.renewal_refusal(jct_pass, last + dt.timedelta(days=1))


def test_a_postpartum_pass_is_not_a_jct_certification_and_is_not_renewed(
    programs, ours, office, postpartum_cycle
):
    old = _finalised_pass(programs["postpartum-111"], ours, office, valid_until=TODAY + dt.timedelta(100))
    with pytest.raises(ValidationError, match="非醫策會認證"):
        actions.do_open_renewal(old, actor=office)
    page = client_for(office).get(f"/applications/{old.pk}/").content.decode()
    assert 'data-testid="renewal-panel"' not in page


def test_seed_001_without_an_open_cycle_the_renewal_is_refused_in_words(jct_pass, office):
    with pytest.raises(ValidationError, match=r"目前無開放申請之.*梯次"):
        actions.do_open_renewal(jct_pass, actor=office)
    page = client_for(office).get(f"/applications/{jct_pass.pk}/").content.decode()
    assert "目前無開放申請" in page and 'data-testid="renewal-form"' not in page


def test_another_tenants_application_is_404_and_a_role_that_may_not_is_403(
    jct_pass, jct_cycle, institution_user
):
    client = client_for(institution_user)  # another institution's member
    assert client.post(f"/applications/{jct_pass.pk}/renewal/").status_code == 404
    api = client.post(f"/api/applications/{jct_pass.pk}/renewal", content_type="application/json")
    assert api.status_code == 404
    admin = make_user("admin2", "program_admin")
    assert client_for(admin).post(f"/applications/{jct_pass.pk}/renewal/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_open_renewal(jct_pass, actor=admin)
    assert not Application.objects.filter(renews=jct_pass).exists()


def test_the_api_opens_the_renewal_and_answers_it_linked(jct_pass, jct_cycle, office):
    url = f"/api/applications/{jct_pass.pk}/renewal"
    response = client_for(office).post(url, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["renews"] == jct_pass.pk and body["cycle_id"] == jct_cycle.pk and body["state"] == "draft"


def test_the_list_and_its_exports_show_which_application_a_renewal_renews(jct_pass, jct_cycle, clinic_user):
    renewal = actions.do_open_renewal(jct_pass, actor=clinic_user)
    client = client_for(clinic_user)
    page = client.get("/applications/").content.decode()
    marker = page[page.index('data-testid="renews-marker"') :]
    assert marker.index(f'href="/applications/{jct_pass.pk}/"') < marker.index("</small>")
    assert page.count('data-testid="renews-marker"') == 1  # the renewal's row only
    assert "續約自" in marker and jct_pass.cycle.title in marker[: marker.index("</small>")]
    text = client.get("/applications/export.csv").content.decode("utf-8")[1:]
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[-1] == "續約自（原申請案梯次）"
    by_cycle = {r[4]: r[-1] for r in rows}
    assert by_cycle == {renewal.cycle.title: jct_pass.cycle.title, jct_pass.cycle.title: ""}
    sheet = load_workbook(io.BytesIO(client.get("/applications/export.xlsx").content), read_only=True).active
    excel = list(sheet.iter_rows(values_only=True))
    assert excel[0][-1] == "續約自（原申請案梯次）"
    assert {r[4]: r[-1] or "" for r in excel[1:]} == by_cycle


def test_the_list_says_renews_in_english_too(jct_pass, jct_cycle, clinic_user):
    actions.do_open_renewal(jct_pass, actor=clinic_user)
    client = client_for(clinic_user)
    with translation.override("en"):
        assert str(views.EXPORT_COLUMNS[-1]) == "Renews (round of the renewed application)"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    page = client.get("/applications/").content.decode()
    marker = page[page.index('data-testid="renews-marker"') :]
    assert marker.startswith('data-testid="renews-marker">Renews <a')
