"""Active content inside an accepted container (issue 17, item 4): what a file may carry besides
its pages, found by reading its structure, never by searching its bytes for words.

PDF (pypdf's object model). Every object of the file is visited, those in the cross-reference
table and those packed in object streams, with the dictionaries and arrays nested in them:

- an action that runs something: JavaScript (`/S /JavaScript`, or any `/JS` entry), `/Launch`,
  `/ImportData`, `/SubmitForm`, `/GoToE`, `/RichMediaExecute`, `/Rendition` (may carry JS), also
  when it hangs off the catalog's `/OpenAction`, an `/AA` (additional actions) trigger, an
  annotation's or a form field's `/A`, or the document's `/Names /JavaScript` tree;
- an embedded file: an `/EmbeddedFiles` name tree, a `/Type /EmbeddedFile` stream, a file
  specification with `/EF`, or a `/FileAttachment` annotation;
- an XFA form (`/XFA` in the AcroForm): an XML form the reader runs, with its own scripts;
- a polyglot: bytes before the `%PDF-` header (a reader skips up to 1 KB, a browser sniffing the
  start sees HTML) or content after the last `%%EOF` (where an HTML or ZIP part is appended).

An `/OpenAction` that is a destination (open at page 1, zoom) or a link to a web address is a
normal part of a document and stays allowed.

Office Open XML (zipfile). Every member is looked at:

- an executable by content (MZ for Windows PE, ELF, Mach-O, `#!` scripts) or by the member's name
  (.exe, .dll, .scr, .bat, .cmd, .com, .ps1, .vbs, .js, .jar, .msi, .hta, .lnk);
- macros (`vbaProject.bin`) and OLE objects (`embeddings/oleObject*.bin`, the packaging by which
  Office carries an arbitrary file, an .exe included, that cannot be looked into without an OLE
  reader); embedded OOXML documents (a chart's workbook) are opened and checked the same way;
- a zip bomb: more than MAX_MEMBERS members or MAX_UNPACKED_BYTES unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

RUNNING_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/RichMediaExecute", "/Rendition"}
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe", b"#!")
EXECUTABLE_NAMES = re.compile(
    r"\.(exe|dll|scr|bat|cmd|com|ps1|vbs|vbe|js|jse|wsf|jar|msi|hta|lnk|cpl)$", re.I
)
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 64  # nesting of dictionaries and arrays inside one object


class ActiveContentError(ValueError):
    """The file carries something that runs or another file; the message says what, in Chinese."""


# --- PDF -----------------------------------------------------------------------------------------


def check_pdf(data: bytes, reader: PdfReader) -> None:
    if not data.startswith(b"%PDF-"):
        raise ActiveContentError("檔案在 PDF 檔頭之前另有內容（可能同時是網頁檔），不予接受。")
    tail = data[data.rfind(b"%%EOF") + len(b"%%EOF") :] if b"%%EOF" in data[-4096:] else b"x"
    if tail.strip(b"\r\n\t \x00"):
        raise ActiveContentError("檔案在 PDF 結尾（%%EOF）之後另附有其他內容，不予接受。")
    for obj in _pdf_objects(reader):
        _check_pdf_object(obj, depth=0)


def _pdf_objects(reader: PdfReader) -> Iterator[Any]:
    yield reader.trailer.get("/Root")
    numbers: set[tuple[int, int]] = set()
    for generation, table in reader.xref.items():
        numbers.update((number, generation) for number in table)
    numbers.update((number, 0) for number in reader.xref_objStm)
    for number, generation in sorted(numbers):
        try:
            yield reader.get_object(IndirectObject(number, generation, reader))
        except Exception:  # a free or broken entry: pypdf reads around it, so do we
            continue


def _check_pdf_object(obj: Any, *, depth: int) -> None:
    """OBJ and what it holds directly (indirect references are visited as objects of their own)."""
    if depth > MAX_DEPTH or isinstance(obj, IndirectObject):
        return
    if isinstance(obj, DictionaryObject):
        if "/JS" in obj or obj.get("/S") in RUNNING_ACTIONS:
            what = "JavaScript" if "/JS" in obj or obj.get("/S") == "/JavaScript" else str(obj.get("/S"))[1:]
            raise ActiveContentError(f"PDF 內含可執行的動作（{what}），不予接受；請另存為一般 PDF 後再上傳。")
        if "/XFA" in obj:
            raise ActiveContentError(
                "PDF 含 XFA 動態表單（可內含程式碼），不予接受；請列印或另存為一般 PDF 後再上傳。"
            )
        if (
            "/EmbeddedFiles" in obj
            or "/EF" in obj
            or obj.get("/Type") == "/EmbeddedFile"
            or obj.get("/Subtype") == "/FileAttachment"
        ):
            raise ActiveContentError("PDF 內嵌其他檔案（附件），不予接受；請將附件分開上傳。")
        if "/JavaScript" in obj and "/Names" not in obj:  # the catalog's name tree of document scripts
            raise ActiveContentError(
                "PDF 內含可執行的動作（JavaScript），不予接受；請另存為一般 PDF 後再上傳。"
            )
        for value in obj.values():
            _check_pdf_object(value, depth=depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _check_pdf_object(value, depth=depth + 1)


# --- Office Open XML -----------------------------------------------------------------------------


def check_ooxml(archive: zipfile.ZipFile, *, depth: int = 0) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ActiveContentError("Office 文件解壓縮後過大，不予接受。")
    for member in members:
        name = member.filename
        base = name.rsplit("/", 1)[-1]
        if base.lower() == "vbaproject.bin":
            raise ActiveContentError(
                "Office 文件含巨集（VBA），不予接受；請另存為不含巨集的 docx、xlsx 或 pptx。"
            )
        if EXECUTABLE_NAMES.search(base):
            raise ActiveContentError(f"Office 文件內含執行檔（{base}），不予接受。")
        with archive.open(member) as stream:
            head = stream.read(8)
        if head.startswith(EXECUTABLE_MAGIC):
            raise ActiveContentError(f"Office 文件內含執行檔（{base}），不予接受。")
        if "/embeddings/" in f"/{name}":
            if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: packaged object
                raise ActiveContentError(f"Office 文件內嵌 OLE 物件（{base}），可能夾帶執行檔，不予接受。")
            if head.startswith(b"PK") and depth < 2:
                with zipfile.ZipFile(io.BytesIO(archive.read(member))) as inner:
                    check_ooxml(inner, depth=depth + 1)
