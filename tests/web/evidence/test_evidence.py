"""Evidence uploads: slots from the program file, on-site-only refused, content checks (a disguised
.exe, an oversized file, a broken PDF), versions kept, comments, and files served only through the
checked view (404 for another institution, pages and API alike)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from pingjian.web.evidence import checks
from pingjian.web.evidence.actions import do_comment_evidence, do_upload_evidence
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.evidence.slots import slots_for
from tests.web.support import client_for


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_postpartum_slots_are_the_upload_column_and_never_on_site_only_requirements(programs):
    program = programs["postpartum-111"].program()
    keys = {s.key for s in slots_for(program)}
    assert {"A1.1-1", "A1.1-3", "C2-4"} <= keys
    assert "A1.1-2" not in keys  # local preliminary review, not uploaded
    assert not any(k.startswith("B1.1") for k in keys)  # personal care records stay on site (seed 002 §三)
    on_site = [f"{i.id}-{r.number}" for i in program.items for r in i.requirements if r.on_site_only]
    assert on_site and not set(on_site) & keys


def test_jct_programs_without_upload_methods_get_one_declaration_slot_per_item(programs):
    assert len(slots_for(programs["aesthetic-clinic-112"].program())) == 21


def test_on_site_only_slot_is_refused_with_a_clear_message(application, institution_user):
    with pytest.raises(ValidationError, match="實地訪查當日提供，不得上傳"):
        do_upload_evidence(
            application,
            slot_key="B1.1-1",
            upload=io.BytesIO(pdf_bytes()),
            name="紀錄.pdf",
            actor=institution_user,
        )
    assert not EvidenceFile.objects.exists()


def test_a_disguised_executable_is_refused_whatever_its_name(application, institution_user):
    with pytest.raises(ValidationError, match="不是可接受的格式") as error:
        do_upload_evidence(
            application,
            slot_key="A1.1-1",
            upload=io.BytesIO(EXE),
            name="投保資料.pdf",
            actor=institution_user,
        )
    assert "更改副檔名無效" in str(error.value)


def test_an_oversized_file_is_refused(application, institution_user):
    big = io.BytesIO(pdf_bytes() + b"\0" * (checks.MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="超過 20 MB"):
        do_upload_evidence(application, slot_key="A1.1-1", upload=big, name="大.pdf", actor=institution_user)


def test_a_truncated_pdf_is_refused(application, institution_user):
    with pytest.raises(ValidationError, match="損毀"):
        do_upload_evidence(
            application,
            slot_key="A1.1-1",
            upload=io.BytesIO(pdf_bytes()[:60]),
            name="壞.pdf",
            actor=institution_user,
        )


def test_pdf_png_and_docx_are_accepted_by_content():
    docx = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert checks.check_upload(io.BytesIO(pdf_bytes()), "a").extension == "pdf"
    assert (
        checks.check_upload(io.BytesIO(png_bytes()), "a.pdf").extension == "png"
    )  # the name does not matter
    assert checks.check_upload(io.BytesIO(docx.getvalue()), "a").extension == "docx"


def test_a_new_upload_supersedes_the_old_one_and_both_are_kept(application, institution_user, office):
    first = do_upload_evidence(
        application, slot_key="A1.1-1", upload=io.BytesIO(pdf_bytes()), name="v1.pdf", actor=institution_user
    )
    second = do_upload_evidence(
        application, slot_key="A1.1-1", upload=io.BytesIO(png_bytes()), name="v2.png", actor=institution_user
    )
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.superseded_at is not None and second.superseded_at is None
    assert first.file.name != second.file.name and first.file.storage.exists(first.file.name)
    do_comment_evidence(application, slot_key="A1.1-1", text="請補上勞保投保明細", actor=office)
    with pytest.raises(PermissionDenied):
        do_comment_evidence(application, slot_key="A1.1-1", text="x", actor=institution_user)


def test_files_are_served_only_to_the_application_scope(application, their_application, role_users, office):
    row = do_upload_evidence(
        application,
        slot_key="A1.1-1",
        upload=io.BytesIO(pdf_bytes()),
        name="v1.pdf",
        actor=role_users["institution"],
    )
    url = f"/evidence/{application.pk}/files/{row.pk}/"
    expected = {
        "office": 200,
        "program_admin": 200,
        "institution": 200,
        "bureau": 200,
        "surveyor": 200,
        "nhi": 404,
        "outsider": 404,
    }
    for role, status in expected.items():
        response = client_for(role_users[role]).get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        api = client_for(role_users[role]).get(f"/api/evidence/{application.pk}")
        assert api.status_code == status, role
    # the same file id through someone else's application is not found either
    assert client_for(office).get(f"/evidence/{their_application.pk}/files/{row.pk}/").status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_upload_page_refuses_with_the_message_and_accepts_a_real_pdf(application, institution_user):
    client = client_for(institution_user)
    bad = SimpleUploadedFile("投保資料.pdf", EXE, content_type="application/pdf")
    response = client.post(
        f"/evidence/{application.pk}/upload/", {"slot": "A1.1-1", "file": bad}, follow=True
    )
    assert "不是可接受的格式" in response.content.decode()
    good = SimpleUploadedFile("投保資料.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        f"/evidence/{application.pk}/upload/", {"slot": "A1.1-1", "file": good}, follow=True
    )
    assert "已上傳 A1.1-1 第1版" in response.content.decode()


def test_another_institution_cannot_upload_or_see(their_application, institution_user):
    client = client_for(institution_user)
    good = SimpleUploadedFile("a.pdf", pdf_bytes())
    assert (
        client.post(f"/evidence/{their_application.pk}/upload/", {"slot": "A1.1-1", "file": good}).status_code
        == 404
    )
    assert client.get(f"/api/evidence/{their_application.pk}").status_code == 404
