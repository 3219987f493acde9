"""Hostile uploads through the upload page (issue 16, item 4): a type disguised by its name, an
oversized file, a zip bomb, an encrypted PDF, PDFs carrying JavaScript or an XFA form, path-traversal
and very long file names. Each is refused with a message naming the file, nothing is written (no
row, no file under MEDIA_ROOT, no audit event) and the answer is never a 5xx; the content checks
are fuzzed with hypothesis (accepted or refused with UploadRejectedError, never another error)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pingjian.web.audit.models import AuditEvent
from pingjian.web.evidence import checks
from pingjian.web.evidence.models import EvidenceFile
from tests.web.support import client_for, pdf_bytes

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf(change=None) -> bytes:  # type: ignore[no-untyped-def]
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted(writer: PdfWriter) -> None:
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")


def _xfa(writer: PdfWriter) -> None:
    xfa = writer._add_object(TextStringObject("<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): writer._add_object(DictionaryObject()), NameObject("/XFA"): xfa}
    )


def _zip_bomb() -> bytes:
    """An Office document whose one member unpacks to 201 MB of zeros (a few hundred KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(201):
                member.write(chunk)
    return out.getvalue()


HOSTILE = {
    "an executable named .pdf": ("報告.pdf", lambda: EXE, "不是可接受的格式"),
    "an oversized file": ("big.pdf", lambda: pdf_bytes() + b"\n" * (checks.MAX_BYTES + 1), "上限"),
    "a zip bomb": ("bomb.docx", _zip_bomb, "過大"),
    "an encrypted PDF": ("secret.pdf", lambda: _pdf(_encrypted), "加密"),
    "an XFA form": ("form.pdf", lambda: _pdf(_xfa), "XFA"),
    "a PDF with JavaScript": (
        "js.pdf",
        lambda: _pdf(
            lambda w: w._root_object.__setitem__(
                NameObject("/OpenAction"),
                w._add_object(
                    DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/JavaScript"),
                            NameObject("/JS"): TextStringObject("x"),
                        }
                    )
                ),
            )
        ),
        "JavaScript",
    ),
    "a broken PDF": ("broken.pdf", lambda: pdf_bytes()[:200], "損毀"),
}


def _post(client, application, name: str, data: bytes, slot: str = "A1.1-1"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(f"/evidence/{application.pk}/upload/", {"slot": slot, "file": upload}, follow=True)


def _nothing_written(tmp_path, events_before: int) -> bool:
    media = tmp_path / "media"
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return not EvidenceFile.objects.exists() and not files and AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_upload_is_refused_by_name_and_nothing_is_written(
    case, application, institution_user, tmp_path
):
    name, make, message = HOSTILE[case]
    events = AuditEvent.objects.count()
    response = _post(client_for(institution_user), application, name, make())
    assert response.status_code < 500
    body = response.content.decode()
    assert message in body and f"「{name}」" in body, case
    assert _nothing_written(tmp_path, events)


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\windows\\system32\\evil.pdf",
        "/absolute/path.pdf",
        "a" * 5000 + ".pdf",
        "報告" * 400 + ".pdf",
        'quote"and\r\nSet-Cookie: x=1.pdf',
        "nul\x00byte.pdf",
        "\u202egnp.pdf",  # a right-to-left override hiding the real extension
    ],
)
def test_a_strange_file_name_never_reaches_the_disk_and_downloads_cleanly(
    name, application, institution_user, tmp_path
):
    client = client_for(institution_user)
    response = _post(client, application, name, pdf_bytes())
    assert response.status_code < 500
    rows = list(EvidenceFile.objects.all())
    if not rows:  # refused (the NUL): by a message, nothing stored
        assert "NUL" in response.content.decode() or "檔名" in response.content.decode()
        return
    (row,) = rows
    stored = (tmp_path / "media" / row.file.name).resolve()
    assert stored.is_relative_to((tmp_path / "media").resolve()) and stored.is_file()
    assert len(row.original_name) <= 255 and "\x00" not in row.original_name
    download = client.get(f"/evidence/{application.pk}/files/{row.pk}/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition.split("filename")[1]


# --- the content checks, fuzzed -------------------------------------------------------------------

_BASES = [pdf_bytes(), _pdf(_xfa), _pdf(_encrypted), EXE]


@st.composite
def _mangled(draw) -> bytes:  # type: ignore[no-untyped-def]
    """A real file with bytes overwritten, cut, or appended; or bytes from nothing."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=4096))
    data = bytearray(draw(st.sampled_from(_BASES)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) + draw(st.binary(max_size=64))


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mangled())
def test_the_content_checks_accept_or_refuse_by_name_and_never_fail_otherwise(data):
    try:
        checked = checks.check_upload(io.BytesIO(data), "x.pdf")
    except checks.UploadRejectedError as exc:
        assert "「x.pdf」" in str(exc)
    else:
        assert checked.extension in ("pdf", "jpg", "png", "docx", "xlsx", "pptx")
