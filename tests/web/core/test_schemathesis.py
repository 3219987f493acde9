"""Schemathesis against /api/openapi.json (issue 16, items 2 and 3): the document is valid
OpenAPI, and every operation, called through the real WSGI application by a signed-in office
user and by an institution user, answers no 5xx and only responses that match the document.

Each operation is called once with the keys of real objects (so the 200 bodies are checked
against their schemas) and then with a bounded number of generated cases (random keys, query
strings and bodies). The WSGI application runs in the test's thread, so it sees pytest-django's
transaction and the objects the fixtures wrote."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from pingjian.web.api import api
from pingjian.web.registry.actions import do_plan_follow_up, do_publish_result

from ..support import client_for

EXAMPLES = 12  # generated cases per operation and user: ~30 operations × 2 users stays under a minute
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


class _TestWSGIHandler(WSGIHandler):
    """The production WSGI handler, with CSRF left to the session (as Django's test client does):
    schemathesis cannot read a CSRF token, and the CSRF check has its own tests."""

    def get_response(self, request):  # type: ignore[no-untyped-def]
        request._dont_enforce_csrf_checks = True
        return super().get_response(request)


@pytest.fixture
def wsgi_app():
    """The WSGI app, without closing the test's connection at the start and end of each request (as
    Django's test client does: on PostgreSQL the test's transaction lives on that connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _TestWSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _document() -> dict:
    """The document as served (JSON: the status codes become strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def _schema():
    return schemathesis.openapi.from_dict(_document())


def _operations() -> list[str]:
    return sorted(op.ok().label for op in _schema().get_all_operations())


def test_the_openapi_document_is_valid_openapi(db):
    document = client_for(None).get("/api/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # raises on an invalid document (OpenAPI 3.x meta-schema)
    assert document["openapi"].startswith("3.") and len(document["paths"]) >= 20
    operation_ids = [op["operationId"] for methods in document["paths"].values() for op in methods.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_the_openapi_document_is_what_the_api_serves(db):
    assert client_for(None).get("/api/openapi.json").json() == _document()


@pytest.fixture
def world(application, institution_user, office, programs):
    """Real keys for every path parameter name the API uses."""
    from tests.web.assessments.conftest import make_visit

    visit = make_visit(programs, office, "postpartum-111")
    version = programs["postpartum-111"]
    entry = do_publish_result(
        institution=application.institution, program_id="postpartum-111", program_title=version.title,
        result="合格", valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2026, 12, 31), source="測試",
        actor=office,
    )  # fmt: skip
    do_plan_follow_up(entry, day=dt.date(2024, 6, 3), kind="on_site", actor=office)
    return {
        "application_id": application.pk,
        "code": application.institution.code,
        "cycle_id": application.cycle_id,
        "program_id": version.program_id,
        "number": version.number,
        "visit_id": visit.pk,
        "assessment_id": 1,
        "entry_id": entry.pk,
        "name": "submit",
        # objects that do not exist here: the generated cases and these ask for them all the same
        "opinion_id": 1,
        "meeting_id": 1,
        "item_id": 1,
        "appeal_id": 1,
    }


@pytest.mark.parametrize("role", ["office", "institution"])
@pytest.mark.parametrize("label", _operations())
def test_every_operation_answers_no_5xx_and_matches_its_schema(
    label, role, world, wsgi_app, office, institution_user
):
    user = {"office": office, "institution": institution_user}[role]
    client = client_for(user)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    operation = _schema().find_operation_by_label(label)
    assert operation is not None

    real = operation.Case(
        path_parameters={p.name: world[p.name] for p in operation.path_parameters},
        **({"body": {}} if operation.get_request_payload_content_types() else {}),
    )
    real.call_and_validate(app=wsgi_app, cookies=cookies, checks=CHECKS)

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def generated(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(app=wsgi_app, cookies=cookies, checks=CHECKS)

    generated()
