"""No 5xx from a bad JSON body (issue 17, item 3), over every API operation that takes one, read
from /api/openapi.json: each property of its body in turn gets extreme values (an integer beyond
64 bits, a negative one, a 100,000-character string, the wrong type, null), the others plausible
ones, and then a bounded number of random mixtures. The answer must be below 500.

Why this test: schemathesis (test_schemathesis.py) generates bodies too, but from the document's
schema, 12 per operation: it rarely sends 10^20 to a field stated as a plain `integer`, and never to
one whose bound is stated. `POST /api/assessments/visits/{id}/entries` with `sequence=10**20`
was a 500 on both databases (OverflowError, bigint out of range), and a 100-character `device_id`
on PostgreSQL (varchar(64)): the extremes are sent here on purpose, to every property. The office
(who may score any visit) sends them against real objects, so a body the schema lets through
reaches the action and the database."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pingjian.web.api import api

from ..support import client_for

HUGE = 10**20
LONG = "長" * 100_000
EXTREMES: list[Any] = [HUGE, -HUGE, 2**63, -1, 0, 1.5e308, LONG, "", None, True, [], {}, ["x"] * 1000]
VALUE_EXTREMES: list[Any] = [  # a JSON object property (an entry's value): inside it too
    {"exempt": True, "reason": LONG},
    {"met": [1] * 10_000},
    {"score": HUGE},
    {"score": "1e999999"},
    {"status": LONG},
    {"x" * 1000: 1},
]
_sequences = itertools.count(1)


def _current_version() -> int:
    """The version of the entry the sweep writes, so the next one is stored, not a conflict (a
    conflict is answered before the submission is stored, where 10^20 overflowed)."""
    from pingjian.web.assessments.models import ScoreEntry

    entry = ScoreEntry.objects.filter(key="A1.1", kind="consensus").first()
    return entry.version if entry else 0


# plausible values by property name, so the other fields of a body get past the schema and reach
# the action and the database: a real scoring item, its current version, a device, a fresh sequence
PLAUSIBLE = {
    "key": lambda: "A1.1",
    "value": lambda: {"met": [1, 2]},
    "base_version": _current_version,
    "device_id": lambda: "fuzz-device",
    "sequence": lambda: next(_sequences),
    "kind": lambda: "consensus",
    "result": lambda: "合格",
}


def _document() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def _types(prop: dict) -> set[str]:
    return {prop["type"]} if "type" in prop else {t.get("type", "") for t in prop.get("anyOf", [])}


def _plausible(name: str, prop: dict) -> Any:
    if name in PLAUSIBLE:
        return PLAUSIBLE[name]()
    if "default" in prop:
        return prop["default"]
    types = _types(prop)
    if "integer" in types:
        return 1
    if "object" in types:
        return {}
    if "boolean" in types:
        return True
    if "array" in types:
        return []
    return "2024-01-01" if prop.get("format") == "date" else "x"


def _body_operations() -> list[tuple[str, str, dict]]:
    """(method, path, body schema) of every operation with a JSON request body."""
    document = _document()
    schemas = document["components"]["schemas"]
    operations = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                ref = content["schema"]["$ref"].rsplit("/", 1)[-1]
                operations.append((method.upper(), path, schemas[ref]))
    return operations


@pytest.fixture
def keys(application, office, programs):
    """Real keys for every path parameter: the office may score this visit."""
    from tests.web.assessments.conftest import make_visit

    visit = make_visit(programs, office, "postpartum-111")
    return {"application_id": application.pk, "visit_id": visit.pk, "name": "submit"}


def _send(client, method: str, path: str, keys: dict, body: dict):
    url = path
    for name, value in keys.items():
        url = url.replace("{" + name + "}", str(value))
    url = url.replace("{", "").replace("}", "")  # ids of objects that do not exist: "opinion_id" → 404
    for name in ("opinion_id", "item_id", "appeal_id"):
        url = url.replace(name, "1")
    return client.generic(method, url, data=json.dumps(body), content_type="application/json")


def test_every_body_operation_is_found():
    labels = {f"{method} {path}" for method, path, _ in _body_operations()}
    assert "POST /api/assessments/visits/{visit_id}/entries" in labels and len(labels) >= 10


@pytest.mark.parametrize(
    ("method", "path", "schema"), _body_operations(), ids=[f"{m} {p}" for m, p, _ in _body_operations()]
)
def test_no_api_body_answers_5xx_to_an_extreme_value_in_any_property(office, keys, method, path, schema):
    client = client_for(office)
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        extremes = EXTREMES + (VALUE_EXTREMES if "object" in _types(prop) else [])
        for extreme in extremes:
            body = {n: _plausible(n, p) for n, p in properties.items()}
            body[name] = extreme
            response = _send(client, method, path, keys, body)
            where = (method, path, name, repr(extreme)[:60])
            assert response.status_code < 500, (*where, response.content[:300])
        body = {n: _plausible(n, p) for n, p in properties.items() if n != name}
        response = _send(client, method, path, keys, body)  # the property left out
        assert response.status_code < 500, (method, path, f"without {name}", response.content[:300])


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_api_body_answers_5xx_to_random_mixtures_of_extreme_values(office, keys, data):
    method, path, schema = data.draw(st.sampled_from(_body_operations()))
    body = {}
    for name, prop in schema.get("properties", {}).items():
        choice = data.draw(st.sampled_from(["plausible", "extreme", "absent", "text", "integer"]))
        if choice == "plausible":
            body[name] = _plausible(name, prop)
        elif choice == "extreme":
            body[name] = data.draw(st.sampled_from(EXTREMES + VALUE_EXTREMES))
        elif choice == "text":
            body[name] = data.draw(st.text(max_size=50))
        elif choice == "integer":
            body[name] = data.draw(st.integers(min_value=-(2**70), max_value=2**70))
    response = _send(client_for(office), method, path, keys, body)
    assert response.status_code < 500, (method, path, body, response.content[:300])
