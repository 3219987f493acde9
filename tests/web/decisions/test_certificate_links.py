"""The institution's own pages lead to its certificate (seed 002 §十二 publishes the result; the
certificate and badge are the institution's to use): once a pass is finalised, the application
page shows 「證書與標章」 with the number, the ROC validity and links to the zh/en PDFs, the badge
and the public registry entry; its dashboard lists its certificates in force. Another institution
sees none of it; a finalised postpartum fail (seed 002 §十三(二): no validity) has no block."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from pingjian.web.applications.actions import do_record_notice_receipt
from pingjian.web.core.templatetags.roc import roc_date_long
from pingjian.web.decisions import actions
from pingjian.web.decisions.models import Decision
from pingjian.web.registry.models import Certificate, RegistryEntry
from tests.web.support import client_for, make_user, untranslated


def finalise(item, office, approver, result: str, reason: str = ""):
    decision = actions.do_record_decision(item, actor=office, result=result, reason=reason)
    decided_on = dt.date.today() - dt.timedelta(days=40)
    actions.do_approve_decision(decision, actor=approver, today=decided_on)
    application = item.application
    application.refresh_from_db()
    application = do_record_notice_receipt(application, actor=office, received_on=decided_on)
    actions.do_finalize_decision(application, actor=office)
    application.refresh_from_db()
    return application


def _pass_reason(item) -> str:
    return "" if item.proposed_result == "pass" else "委員會認定已改善"


@pytest.fixture
def passed(item, office, approver, scored):
    return finalise(item, office, approver, "pass", _pass_reason(item)), scored[1]


def test_seed_002_the_institution_sees_its_certificate_block_and_every_link_answers(passed):
    application, inst = passed
    certificate = Certificate.objects.get(entry__institution=application.institution)
    decision = Decision.objects.get(application=application)
    assert decision.registry_entry_id == certificate.entry_id
    client = client_for(inst)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "證書與標章" in page and 'data-testid="certificate"' in page
    assert certificate.number in page
    entry = certificate.entry
    assert roc_date_long(entry.valid_from) in page and roc_date_long(entry.valid_until) in page
    links = [
        f"/documents/certificates/{certificate.pk}/certificate-zh.pdf",
        f"/documents/certificates/{certificate.pk}/certificate-en.pdf",
        f"/documents/certificates/{certificate.pk}/badge.svg",
        f"/registry/{entry.pk}/",
        f"/registry/verify/{certificate.verification_code}/",
    ]
    for link in links:
        assert f'href="{link}"' in page, link
        response = client.get(link)
        assert response.status_code == 200, link
    for pdf in links[:2]:
        response = client.get(pdf)
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get(links[2])["Content-Type"] == "image/svg+xml"


def test_seed_002_the_institution_dashboard_lists_its_certificates_in_force(passed, office):
    application, inst = passed
    certificate = Certificate.objects.get(entry__institution=application.institution)
    page = client_for(inst).get("/dashboard/").content.decode()
    assert 'data-testid="certificates"' in page and certificate.number in page
    assert roc_date_long(certificate.entry.valid_until) in page
    assert f'href="/documents/certificates/{certificate.pk}/certificate-zh.pdf"' in page
    assert f'href="/registry/{certificate.entry.pk}/"' in page
    # the office is no institution's member: no list of every certificate on its dashboard
    assert 'data-testid="certificates"' not in client_for(office).get("/dashboard/").content.decode()


def test_an_ended_certificate_leaves_the_dashboard_list(passed):
    application, inst = passed
    RegistryEntry.objects.filter(institution=application.institution).update(status="revoked")
    assert 'data-testid="certificates"' not in client_for(inst).get("/dashboard/").content.decode()


def test_another_institution_sees_no_certificate(passed, theirs):
    application, _inst = passed
    certificate = Certificate.objects.get(entry__institution=application.institution)
    stranger = make_user("stranger", "institution", institution=theirs)
    client = client_for(stranger)
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    assert client.get(f"/documents/certificates/{certificate.pk}/certificate-zh.pdf").status_code == 404
    assert client.get(f"/documents/certificates/{certificate.pk}/badge.svg").status_code == 404
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="certificates"' not in page and certificate.number not in page


def test_the_office_sees_the_block_on_the_application_page(passed, office):
    application, _inst = passed
    certificate = Certificate.objects.get(entry__institution=application.institution)
    page = client_for(office).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="certificate"' in page and certificate.number in page


def test_seed_002_13_a_finalised_postpartum_fail_shows_no_certificate_block(item, office, approver, scored):
    application = finalise(item, office, approver, "fail", "消防安全設備檢查不符合規定")
    entry = RegistryEntry.objects.get(institution=application.institution)
    assert Decision.objects.get(application=application).registry_entry_id == entry.pk
    page = client_for(scored[1]).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="decision-result"' in page  # the decision section is there
    assert 'data-testid="certificate"' not in page and "證書與標章" not in page
    dashboard = client_for(scored[1]).get("/dashboard/").content.decode()
    assert 'data-testid="certificates"' not in dashboard


def test_no_block_before_finalisation(item, office, approver, scored):
    decision = actions.do_record_decision(item, actor=office, result="pass", reason=_pass_reason(item))
    actions.do_approve_decision(decision, actor=approver, today=dt.date.today())
    page = client_for(scored[1]).get(f"/applications/{item.application.pk}/").content.decode()
    assert 'data-testid="certificate"' not in page


def test_every_string_of_the_certificate_block_and_panel_has_english():
    web = Path(__file__).resolve().parents[3] / "pingjian" / "web"
    paths = [
        web / "decisions" / "templates" / "decisions" / "certificate.html",
        web / "registry" / "templates" / "registry" / "panels" / "certificates.html",
    ]
    found, missing = untranslated(paths)
    assert "證書與標章" in found and "證書（英文，PDF）" in found
    assert missing == []


def test_the_block_speaks_english_when_chosen(passed):
    application, inst = passed
    client = client_for(inst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "Certificate and badge" in page and "Certificate (English, PDF)" in page
    assert "Certificate and badge" in client.get("/dashboard/").content.decode()


def test_the_migration_links_decisions_finalised_before_the_field(passed):
    migration = importlib.import_module("pingjian.web.decisions.migrations.0003_decision_registry_entry")
    application, _inst = passed
    decision = Decision.objects.get(application=application)
    entry_id = decision.registry_entry_id
    Decision.objects.filter(pk=decision.pk).update(registry_entry=None)
    migration.link_published(apps, None)
    assert Decision.objects.get(pk=decision.pk).registry_entry_id == entry_id
