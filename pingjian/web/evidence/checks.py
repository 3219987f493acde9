"""Uploaded files are checked by their content, never by their name or extension.

1. Size: at most MAX_BYTES (20 MB).
2. Type: libmagic (python-magic) reads the first bytes and names the type; only PDF, JPEG, PNG and
   Office Open XML documents (docx, xlsx, pptx) are accepted.
3. Structure: the file must open as what it claims: pypdf reads the PDF's pages, Pillow verifies
   the image, zipfile finds the OOXML parts. A renamed .exe, a truncated PDF or an image with a
   broken body is refused with a Traditional Chinese message.
4. Active content (active_content.py): a PDF with JavaScript, a launch action or an embedded file,
   a PDF with something before its header or after its end (an HTML polyglot), an Office document
   with macros, an OLE object or an executable inside is refused, with what was found; so is an
   encrypted PDF (its objects cannot be looked into) and a PDF carrying an XFA form.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

import magic
from PIL import Image
from pypdf import PdfReader

from .active_content import ActiveContentError, check_ooxml, check_pdf

MAX_BYTES = 20 * 1024 * 1024
OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ALLOWED_LABEL = "PDF、JPEG、PNG 或 Office 文件（docx、xlsx、pptx）"


class UploadRejectedError(ValueError):
    """The file is refused; the message says why, in Traditional Chinese."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def _read(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    return data


def check_upload(upload: IO[bytes], name: str = "") -> CheckedFile:
    data = _read(upload)
    if len(data) > MAX_BYTES:
        raise UploadRejectedError(
            f"檔案「{name}」超過 {MAX_BYTES // (1024 * 1024)} MB 上限，請壓縮或分檔後再上傳。"
        )
    if not data:
        raise UploadRejectedError(f"檔案「{name}」是空的。")
    detected = magic.from_buffer(data[:8192], mime=True)
    try:
        if detected == "application/pdf":
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UploadRejectedError(
                    f"檔案「{name}」是加密（設有密碼或權限限制）的 PDF，無法檢查其內容，不予接受；"
                    "請移除密碼後再上傳。"
                )
            if len(reader.pages) < 1:
                raise ValueError("no pages")
            check_pdf(data, reader)
            return CheckedFile("application/pdf", "pdf", len(data))
        if detected in ("image/jpeg", "image/png"):
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                fmt = image.format
            if fmt not in ("JPEG", "PNG"):
                raise ValueError(fmt)
            return CheckedFile(detected, "jpg" if fmt == "JPEG" else "png", len(data))
        if detected in ("application/zip", *(v[0] for v in OOXML.values())) or detected.startswith(
            "application/vnd.openxmlformats"
        ):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if "[Content_Types].xml" not in names:
                    raise ValueError("not OOXML")
                for prefix, (content_type, extension) in OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        check_ooxml(archive)
                        return CheckedFile(content_type, extension, len(data))
            raise ValueError("not OOXML")
    except UploadRejectedError:
        raise
    except ActiveContentError as exc:
        raise UploadRejectedError(f"檔案「{name}」：{exc}") from None
    except Exception:
        raise UploadRejectedError(f"檔案「{name}」內容已損毀或與其格式不符，無法開啟。") from None
    raise UploadRejectedError(
        f"檔案「{name}」的內容不是可接受的格式（偵測為 {detected}）；僅接受 {ALLOWED_LABEL}。"
        "系統依檔案內容判斷，更改副檔名無效。"
    )
