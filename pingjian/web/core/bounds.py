"""Requests are bounded before any view runs (issue 17, items 2 and 3).

`BoundedRequestMiddleware` stands first in `settings.MIDDLEWARE` and answers, without reading the
body or touching the database:

- 413 when the declared Content-Length exceeds `settings.PINGJIAN_MAX_REQUEST_BYTES` (the evidence
  maximum plus room for the multipart envelope): a 150 MB upload is refused from its headers, never
  read. Bodies without a length are not read by Django under WSGI at all; the form fields of a
  body within the limit are capped again by `DATA_UPLOAD_MAX_MEMORY_SIZE`.
- 400 when the path, a query parameter, a form field or a JSON string carries a NUL character:
  PostgreSQL refuses NUL in text, so `?q=%00` or `/institutions/%00/` ended in a 500 there
  (SQLite accepted it), and so would a NUL in a posted code or name.
- 400 when a query parameter is longer than `MAX_QUERY_VALUE_CHARS` (named in the answer: a
  100 000-character `?q=` made SQLite's LIKE fail, "pattern too complex"), when the query string
  or a form body is not UTF-8 once percent-decoded (Django would silently store U+FFFD in its
  place), or when a JSON body is nested too deeply to parse (Python's RecursionError).
- 404 when a path segment is a number beyond a 64-bit integer: every `<int:…>` converter and API
  path id is a database key, and 10^20 raised OverflowError (SQLite) or "bigint out of range"
  (PostgreSQL) in the lookup. Such an object cannot exist, so 404 is the true answer.

One middleware instead of a check per view: the property test in tests/web/core/test_bounds.py
sends random strings, NULs and huge numbers to every query parameter and path converter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

MAX_KEY = 2**63 - 1  # the largest value of a BIGINT / SQLite INTEGER
MAX_QUERY_VALUE_CHARS = 2000  # a search, a filter, a `next` address: far below


class _TooDeepError(ValueError):
    """A JSON body nested beyond what the parser can follow."""


def _text_response(status: int, message: str, request: HttpRequest) -> HttpResponse:
    """A plain answer in the request's language: JSON ({"detail": …}) for the API, text otherwise."""
    if request.path_info.startswith("/api/"):
        return HttpResponse(
            json.dumps({"detail": message}, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _label in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django treats a malformed length as no body


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _body_has_nul(request: HttpRequest) -> bool:
    """A NUL in a submitted form field or JSON string. Runs only on bodies within the limits
    (the form parser enforces DATA_UPLOAD_MAX_MEMORY_SIZE); files are not looked into."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == "application/json":
        try:
            return _holds_nul(json.loads(request.body or b"null"))
        except RecursionError:
            raise _TooDeepError from None
        except ValueError:
            return False  # not JSON: the API answers 422 itself
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())


def _is_utf8(raw: str | bytes) -> bool:
    """RAW (a query string or an urlencoded body) is UTF-8 once its %-escapes are decoded."""
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _not_utf8(request: HttpRequest) -> bool:
    if not _is_utf8(request.META.get("QUERY_STRING", "")):
        return True
    return (
        request.method in ("POST", "PUT", "PATCH")
        and request.content_type == "application/x-www-form-urlencoded"
        and not _is_utf8(request.body)
    )


def _too_long_parameter(request: HttpRequest) -> str | None:
    for key, values in request.GET.lists():
        if len(key) > MAX_QUERY_VALUE_CHARS or any(len(v) > MAX_QUERY_VALUE_CHARS for v in values):
            return key[:40]
    return None


def _has_huge_number(path: str) -> bool:
    return any(part.isdigit() and part.isascii() and int(part) > MAX_KEY for part in path.split("/"))


class BoundedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the locale middleware: answer in the language the user chose, as it would.
        with translation.override(_chosen_language(request)):
            refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        limit = settings.PINGJIAN_MAX_REQUEST_BYTES
        if _declared_length(request) > limit:
            return _text_response(
                413,
                _("上傳內容超過 %(mb)d MB 上限，未予讀取。請壓縮或分檔後再上傳。")
                % {"mb": limit // (1024 * 1024)},
                request,
            )
        if _not_utf8(request):
            return _text_response(400, _("查詢條件或送出的內容不是有效的 UTF-8 文字。"), request)
        too_long = _too_long_parameter(request)
        if too_long is not None:
            return _text_response(
                400,
                _("查詢條件「%(name)s」過長（上限 %(n)d 字元）。")
                % {"name": too_long, "n": MAX_QUERY_VALUE_CHARS},
                request,
            )
        try:
            has_nul = _has_nul(request) or _body_has_nul(request)
        except _TooDeepError:
            return _text_response(400, _("送出的 JSON 內容巢狀層數過多，無法解析。"), request)
        if has_nul:
            return _text_response(400, _("網址、查詢條件或送出的內容含有不允許的控制字元（NUL）。"), request)
        if _has_huge_number(request.path_info):
            return _text_response(404, _("找不到此頁面（編號超出範圍）。"), request)
        return None
