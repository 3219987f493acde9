"""Hostile form fields and query strings (issue 16, item 4): very long values, bytes that are not
UTF-8 and NULs, on every page's query string and on the forms that write. Never a 5xx; a form
refuses with its message and writes nothing (no audit event)."""

from __future__ import annotations

import pytest

from pingjian.web.audit.models import AuditEvent
from pingjian.web.visits.models import ConflictOfInterest

from ..support import client_for
from .test_bounds import _CONVERTER, _fill, _routes

LONG = "長" * 100_000
QUERIES = [
    "q=%FF%FE%FD&page=%C3%28&state=%ED%A0%80",  # invalid UTF-8: a lone byte, a bad pair, a surrogate
    f"q={LONG}&page={'9' * 5000}",
]


@pytest.mark.parametrize("query", QUERIES, ids=["invalid utf-8", "very long"])
def test_no_page_answers_5xx_to_invalid_utf8_or_very_long_query_strings(query, office, application):
    client = client_for(office)
    failures = []
    for route in _routes():
        url = _fill(route, ["1"] * len(_CONVERTER.findall(route)))
        response = client.get(f"{url}?{query}")
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert not failures


@pytest.mark.parametrize(
    "body",
    [
        b"institution_code=0190000001&reason=%FF%FE",
        b"institution_code=%C3%28&reason=x",
        ("institution_code=0190000001&reason=" + "長" * 200_000).encode(),
        b"institution_code=" + b"1" * 100_000 + b"&reason=x",
    ],
    ids=["reason not utf-8", "code not utf-8", "very long reason", "very long code"],
)
def test_a_hostile_form_field_is_refused_and_writes_nothing(body, surveyor, ours):
    events = AuditEvent.objects.count()
    response = client_for(surveyor).generic(
        "POST", "/visits/conflicts/declare/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 413, 422), response.status_code
    assert not ConflictOfInterest.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "payload",
    [
        b'{"version": 1, "message": "\xff\xfe"}',
        b'{"version": 1, "message": "\\ud800"}',
        b'{"version": ' + b"9" * 5000 + b"}",
        b'{"version": 1, "message": "' + b"x" * 100_000 + b'"}',
        b"[" * 100_000,
    ],
    ids=["not utf-8", "lone surrogate", "huge integer", "very long message", "deep nesting"],
)
def test_a_hostile_json_body_is_refused_and_writes_nothing(payload, institution_user, application):
    events = AuditEvent.objects.count()
    response = client_for(institution_user).generic(
        "POST",
        f"/api/applications/{application.pk}/transitions/submit",
        payload,
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500, response.status_code
    application.refresh_from_db()
    assert application.state == "draft" and AuditEvent.objects.count() == events


def test_a_too_long_query_parameter_is_named_and_invalid_utf8_is_refused_with_400(db):
    long = client_for(None).get("/registry/?q=" + "長" * 3000)
    assert long.status_code == 400 and "「q」" in long.content.decode() and "2000" in long.content.decode()
    assert client_for(None).get("/registry/?q=%FF").status_code == 400
    deep = client_for(None).post("/api/registry/", b"[" * 100_000, content_type="application/json")
    assert deep.status_code == 400 and "巢狀" in deep.json()["detail"]
