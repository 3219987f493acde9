"""Certificates, early ends and the open data of the registry (issue 14, items 4–6; seed 000
認證結果, seed 001 證書, seed 002 §十一(二) 公告合格名單, §十三 效期, §十四 撤銷與廢止)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.audit.bindings import check_bindings
from pingjian.web.audit.models import AuditEvent
from pingjian.web.registry.actions import do_change_status, do_publish_result, do_report_abolition_grounds
from pingjian.web.registry.error_codes import RegistryErrorCode
from pingjian.web.registry.models import Certificate, EntryStatus, RegistryChange
from pingjian.web.registry.selectors import EXPORT_COLUMNS
from tests.web.support import client_for, make_user

VALID_FROM, VALID_UNTIL = dt.date(2023, 1, 1), dt.date(2099, 12, 31)


def publish(institution, office, program_id="postpartum-111", title="111年度產後護理之家評鑑", result="合格"):
    return do_publish_result(
        institution=institution, program_id=program_id, program_title=title, result=result,
        valid_from=VALID_FROM, valid_until=VALID_UNTIL, source="測試案 T-1", actor=office,
    )  # fmt: skip


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.fixture
def entry(ours, office):
    return publish(ours, office)


def test_a_passing_result_gets_a_numbered_certificate_with_a_random_code(entry, theirs, office):
    certificate = entry.certificate
    assert certificate.number.startswith("MOHW-PPC-") and certificate.number.endswith("-0001")
    second = publish(theirs, office).certificate
    assert second.number.endswith("-0002")  # sequential per program and year
    other = publish(theirs, office, "aesthetic-clinic-112", "112年度診所美容醫學品質認證", "通過").certificate
    assert other.number.startswith("JCT-AES-") and other.number.endswith("-0001")
    codes = {certificate.verification_code, second.verification_code, other.verification_code}
    assert len(codes) == 3 and all(len(c) >= 22 for c in codes)
    assert not check_bindings()  # number, code and validity all set by audited events


def test_a_failing_result_has_no_certificate(theirs, office):
    failed = publish(theirs, office, result="不合格")
    assert not Certificate.objects.filter(entry=failed).exists()
    assert RegistryChange.objects.filter(entry=failed, kind="published").exists()


@pytest.mark.slow
def test_certificate_pdf_shows_institution_program_roc_validity_and_code(entry, ours, institution_user):
    certificate = entry.certificate
    response = client_for(institution_user).get(
        f"/documents/certificates/{certificate.pk}/certificate-zh.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content)
    for expected in (ours.name, "111年度產後護理之家評鑑", "評鑑合格證明", "中華民國112年1月1日",
                     "中華民國188年12月31日", certificate.verification_code, certificate.number):  # fmt: skip
        assert expected in text, expected
    english = pdftotext(
        client_for(institution_user)
        .get(f"/documents/certificates/{certificate.pk}/certificate-en.pdf")
        .content
    )
    assert "January 1, 2023" in english and certificate.verification_code in english
    assert f"http://testserver/registry/verify/{certificate.verification_code}/" in "".join(text.split())


@pytest.mark.slow
def test_certificate_links_to_the_public_address_behind_a_proxy(entry, institution_user, settings):
    settings.PUBLIC_URL = "https://pingjian.example.tw"
    certificate = entry.certificate
    url = f"/documents/certificates/{certificate.pk}/certificate-zh.pdf"
    pdf = client_for(institution_user).get(url).content
    text = "".join(pdftotext(pdf).split())  # the address wraps in its cell
    assert f"https://pingjian.example.tw/registry/verify/{certificate.verification_code}/" in text


def test_only_the_institution_and_the_office_download_a_certificate(entry, theirs, office, outsider):
    pk = entry.certificate.pk
    assert client_for(office).get(f"/documents/certificates/{pk}/badge.svg").status_code == 200
    theirs_user = make_user("theirs", "institution", institution=theirs)
    for user in (theirs_user, outsider):
        assert client_for(user).get(f"/documents/certificates/{pk}/certificate-zh.pdf").status_code == 404
        assert client_for(user).get(f"/documents/certificates/{pk}/badge.svg").status_code == 404


def test_the_verification_url_confirms_and_a_made_up_code_is_refused(entry, ours):
    code = entry.certificate.verification_code
    page = client_for(None).get(f"/registry/verify/{code}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        ours.name in body
        and "目前有效" in body
        and "112年1月1日" in body
        and entry.certificate.number in body
    )
    for made_up in (code[:-1] + ("A" if code[-1] != "A" else "B"), "x" * 22, "MOHW-PPC-112-0001"):
        refused = client_for(None).get(f"/registry/verify/{made_up}/")
        assert refused.status_code == 404
        text = refused.content.decode()
        assert "查無此證書" in text and ours.name not in text
    typed = client_for(None).get("/registry/verify/", {"code": f" {code} "})
    assert typed.status_code == 302 and typed["Location"] == f"/registry/verify/{code}/"


def test_revoking_removes_it_from_the_valid_list_the_exports_and_lists_it_in_the_feed(entry, ours, office):
    before = client_for(None).get("/registry/changes.json", {"since": "2000-01-01"}).json()
    assert [c["change"] for c in before["changes"]] == ["published"]
    since = before["changes"][-1]["at"]
    do_change_status(
        entry, status=EntryStatus.REVOKED, reason="提供之訪查資料虛偽不實", effective_on=dt.date(2024, 5, 1),
        legal_basis="行政程序法第117條；seed 002 §十四(二)", actor=office,
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVOKED and entry.status_changed_on == dt.date(2024, 5, 1)
    public = client_for(None)
    results = public.get("/registry/").content.decode().split('id="results"')[1]
    assert ours.name not in results
    rows = list(csv.DictReader(io.StringIO(public.get("/registry/export.csv").content.decode("utf-8-sig"))))
    assert rows == []
    assert public.get("/registry/export.json").json()["entries"] == []
    ended = public.get("/registry/export.json", {"include_expired": "on"}).json()["entries"]
    assert [(e["institution_code"], e["status"], e["status_label"]) for e in ended] == [
        (ours.code, "revoked", "已撤銷")
    ]
    feed = public.get("/registry/changes.json", {"since": since}).json()
    assert feed["changes"][0]["entry_url"] == f"http://testserver/registry/{entry.pk}/"
    assert [(c["change"], c["change_status"], c["effective_on"]) for c in feed["changes"]] == [
        ("status_changed", "revoked", "2024-05-01")
    ]
    verify = public.get(f"/registry/verify/{entry.certificate.verification_code}/").content.decode()
    assert "已撤銷" in verify and "目前有效" not in verify
    assert AuditEvent.objects.filter(event_type="registry.revoked").count() == 1
    assert not check_bindings()


def test_exports_have_the_documented_columns_and_nothing_private(entry, ours):
    response = client_for(None).get("/registry/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == [c for c, _zh, _en in EXPORT_COLUMNS]
    (row,) = list(reader)
    assert row["institution_name"] == ours.name and row["valid_until"] == "2099-12-31"
    assert row["certificate_number"] == entry.certificate.number
    body = client_for(None).get("/registry/").content.decode()
    assert all(column in body for column, _zh, _en in EXPORT_COLUMNS)  # documented on the page
    assert "verification_code" not in response.content.decode() and "score" not in reader.fieldnames


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "2024-01-01T25:00"])
def test_an_invalid_since_is_refused_with_a_clear_message(since, db):
    response = client_for(None).get("/registry/changes.json", {"since": since})
    assert response.status_code == 400
    assert "ISO-8601" in response.json()["message"]


def test_since_with_an_offset_and_without(entry):
    public = client_for(None)
    assert public.get("/registry/changes.json", {"since": "2000-01-01T00:00:00+08:00"}).json()["count"] == 1
    assert public.get("/registry/changes.json?since=2000-01-01T00:00:00+08:00").json()["count"] == 1
    assert public.get("/registry/changes.json", {"since": "2999-01-01"}).json()["count"] == 0


def test_status_changes_are_checked(entry, office, institution_user):
    kwargs = {"reason": "理由", "legal_basis": "依據", "effective_on": dt.date(2024, 1, 1)}
    with pytest.raises(PermissionDenied):
        do_change_status(entry, status=EntryStatus.REVOKED, actor=institution_user, **kwargs)
    with pytest.raises(ValidationError) as exc:
        do_change_status(entry, status=EntryStatus.SUSPENDED, actor=office, **kwargs)  # the JCT's, not ours
    assert exc.value.code == RegistryErrorCode.WRONG_PROGRAM
    with pytest.raises(ValidationError) as exc:
        do_change_status(entry, status=EntryStatus.ABOLISHED, actor=office, **{**kwargs, "reason": " "})
    assert exc.value.code == RegistryErrorCode.REASON_REQUIRED
    with pytest.raises(ValidationError) as exc:
        do_change_status(
            entry,
            status=EntryStatus.ABOLISHED,
            actor=office,
            **{**kwargs, "effective_on": dt.date(2020, 1, 1)},
        )
    assert exc.value.code == RegistryErrorCode.EFFECTIVE_DATE
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VALID and not entry.status_actions.exists()
    do_change_status(entry, status=EntryStatus.WITHDRAWN, actor=office, **kwargs)
    with pytest.raises(ValidationError) as exc:
        do_change_status(entry, status=EntryStatus.REVOKED, actor=office, **kwargs)
    assert exc.value.code == RegistryErrorCode.NOT_VALID


def test_jct_suspension_and_termination(clinic, office):
    entry = publish(clinic, office, "cell-therapy-clinic-112", "112年度診所細胞治療品質認證", "通過")
    action = do_change_status(
        entry, status=EntryStatus.SUSPENDED, reason="違反認證基準", legal_basis="認證作業程序",
        effective_on=dt.date(2024, 3, 1), actor=office,
    )  # fmt: skip
    assert action.letter_number.startswith("評中字第")
    assert AuditEvent.objects.filter(event_type="registry.suspended").exists()


def test_seed_002_14_1_bureau_reports_grounds_and_the_office_abolishes_with_a_letter(
    entry, ours, bureau, office, institution_user
):
    """seed 002 §十四(一): 由地方政府（衛生局）送本部，本部得廢止原評鑑處分."""
    page = client_for(bureau).post(f"/registry/{entry.pk}/report-abolition/", {"grounds": "屆期未改善"})
    assert page.status_code == 302
    form = client_for(office).get(f"/registry/{entry.pk}/status/").content.decode()
    assert "屆期未改善" in form and "行政程序法第123條" in form
    done = client_for(office).post(
        f"/registry/{entry.pk}/status/",
        {
            "status": "abolished",
            "reason": "屆期未改善",
            "legal_basis": "行政程序法第123條",
            "effective_on": "113/06/01",
        },
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    action = entry.status_actions.get()
    assert entry.status == EntryStatus.ABOLISHED and action.bureau_report is not None
    letter = client_for(institution_user).get(f"/documents/registry-actions/{action.pk}/letter.pdf")
    assert letter.status_code == 200
    text = pdftotext(letter.content)
    assert "廢止" in text and action.letter_number in text and "113年6月1日" in text and "訴願" in text
    assert client_for(bureau).get(f"/registry/{entry.pk}/status/").status_code == 403


def test_a_bureau_reports_only_its_own_county(theirs, office, bureau):
    entry = publish(theirs, office)
    if entry.institution.county == bureau.memberships.first().county:
        pytest.skip("fixture institutions share the county")
    with pytest.raises(PermissionDenied):
        do_report_abolition_grounds(entry, grounds="x", actor=bureau)


def test_search_by_result_status_and_validity_day(entry, theirs, office):
    failed = publish(theirs, office, result="不合格")
    public = client_for(None)
    only_failed = public.get("/registry/", {"result": "不合格"}).content.decode().split('id="results"')[1]
    assert theirs.name in only_failed and entry.institution.name not in only_failed
    assert failed.pk
    before = public.get("/registry/", {"valid_on": "111/12/31"}).content.decode().split('id="results"')[1]
    assert "沒有符合的機構" in before
    revoked = public.get("/registry/", {"status": "revoked"}).content.decode().split('id="results"')[1]
    assert "沒有符合的機構" in revoked
