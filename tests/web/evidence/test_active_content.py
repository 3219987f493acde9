"""Uploads by content, deeper (issue 17, item 4): hostile files generated here with pypdf and
zipfile (JavaScript and launch actions, embedded files, HTML polyglots, Office files carrying
macros, OLE objects or executables) are refused with what was found; ordinary files that merely
open at a page or link to the web are accepted."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from pingjian.web.evidence import checks
from pingjian.web.evidence.actions import do_upload_evidence
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.evidence.slots import slots_for

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _pdf(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _set_open_action(action):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return change


def _page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS=TextStringObject("app.alert(1)"))}
    )


def _link_annotation_with_launch(writer):
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]
            ),
            NameObject("/A"): _action("/Launch", F=TextStringObject("cmd.exe")),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _document_javascript(writer):
    """A document-level script: the catalog's /Names /JavaScript name tree (what add_js wrote)."""
    script = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert('x');")))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


HOSTILE_PDFS = {
    "document JavaScript (Names tree)": (_document_javascript, "JavaScript"),
    "OpenAction JavaScript": (
        _set_open_action(_action("/JavaScript", JS=TextStringObject("app.launchURL('x')"))),
        "JavaScript",
    ),
    "OpenAction Launch": (_set_open_action(_action("/Launch", F=TextStringObject("calc.exe"))), "Launch"),
    "page AA JavaScript": (_page_additional_action, "JavaScript"),
    "link annotation Launch": (_link_annotation_with_launch, "Launch"),
    "embedded file": (lambda w: w.add_attachment("setup.exe", EXE), "內嵌其他檔案"),
}


@pytest.mark.parametrize("change, found", HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys())
def test_a_pdf_with_javascript_a_launch_action_or_an_embedded_file_is_refused(change, found):
    with pytest.raises(checks.UploadRejectedError, match=found):
        checks.check_upload(io.BytesIO(_pdf(change)), "報告.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><script>alert(document.domain)</script></body></html>\n" + _pdf(),
        b"  \n%PDF-1.4 <!-- -->" + _pdf()[8:],
        _pdf() + b"<html><script>alert(document.cookie)</script></html>",
        _pdf() + b"PK\x03\x04" + b"\x00" * 40,
    ],
    ids=["HTML before the header", "bytes before the header", "HTML after %%EOF", "ZIP after %%EOF"],
)
def test_a_pdf_html_polyglot_is_refused(data):
    with pytest.raises(checks.UploadRejectedError):
        checks.check_upload(io.BytesIO(data), "polyglot.pdf")


def test_a_pdf_that_opens_at_a_page_or_links_to_the_web_is_accepted():
    def benign(writer):
        page = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])
        writer.add_uri(0, "https://www.mohw.gov.tw/", [0, 0, 50, 50])

    assert checks.check_upload(io.BytesIO(_pdf(benign)), "ok.pdf").extension == "pdf"


def _docx(**extra: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        for name, content in extra.items():
            z.writestr(name.replace("__", "/"), content)
    return out.getvalue()


HOSTILE_OFFICE = {
    "an .exe member": ({"word__media__setup.exe": EXE}, "執行檔（setup.exe）"),
    "an executable disguised as an image": ({"word__media__image1.png": EXE}, "執行檔（image1.png）"),
    "an OLE object": ({"word__embeddings__oleObject1.bin": OLE}, "OLE 物件"),
    "macros": ({"word__vbaProject.bin": OLE}, "巨集"),
    "an executable inside an embedded workbook": (
        {"word__embeddings__Microsoft_Excel_Worksheet.xlsx": _docx(**{"xl__media__run.bin": EXE})},
        "執行檔（run.bin）",
    ),
}


@pytest.mark.parametrize("members, found", HOSTILE_OFFICE.values(), ids=HOSTILE_OFFICE.keys())
def test_an_office_file_carrying_an_executable_macros_or_an_ole_object_is_refused(members, found):
    with pytest.raises(checks.UploadRejectedError, match=found):
        checks.check_upload(io.BytesIO(_docx(**members)), "計畫書.docx")


def test_an_office_file_with_an_embedded_clean_workbook_is_accepted():
    data = _docx(**{"word__embeddings__Microsoft_Excel_Worksheet.xlsx": _docx()})
    assert checks.check_upload(io.BytesIO(data), "ok.docx").extension == "docx"


def test_the_upload_action_refuses_a_hostile_pdf_and_stores_nothing(
    application, institution_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    slot = slots_for(application.program_version.program())[0]
    hostile = _pdf(HOSTILE_PDFS["OpenAction JavaScript"][0])
    with pytest.raises(
        ValidationError, match=re.escape("檔案「報告.pdf」：PDF 內含可執行的動作（JavaScript）")
    ):
        do_upload_evidence(
            application,
            slot_key=slot.key,
            upload=io.BytesIO(hostile),
            name="報告.pdf",
            actor=institution_user,
        )
    assert not EvidenceFile.objects.exists()
