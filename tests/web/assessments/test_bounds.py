"""On-site scoring's input is bounded (issue 17, items 1 and 3): an entry's sequence number, device
id, key, comment and reason, a private note's key and text, and the opinions' texts are refused
with a 422 naming the field (API) or a form error (pages), never a 500 and never stored unbounded.
The assessments app came after issue 17's work; an audit found these on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from pingjian.web.assessments.models import OpinionEntry, ScoreEntry, Submission, SurveyorNote
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH
from tests.web.support import client_for

from .test_scoring_api import post_entry

HUGE = 10**20


def _refused_naming(response, field: str) -> None:
    assert response.status_code == 422, response.content[:300]
    detail = response.json()["detail"]
    assert any(field in (error.get("loc") or []) for error in detail), detail


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"device_id": "d", "sequence": HUGE}, "sequence"),  # OverflowError / bigint out of range
        ({"device_id": "d", "sequence": 2**63}, "sequence"),
        ({"device_id": "d", "sequence": -1}, "sequence"),  # PositiveBigIntegerField's check on PostgreSQL
        ({"device_id": "d" * 65, "sequence": 1}, "device_id"),  # varchar(64) on PostgreSQL
        ({"comment": "x" * (MESSAGE_MAX_LENGTH + 1)}, "comment"),
        ({"comment": "x" * 1_000_000}, "comment"),
        ({"reason": "x" * (REASON_MAX_LENGTH + 1)}, "reason"),
        ({"base_version": HUGE}, "base_version"),
    ],
)
def test_an_entry_beyond_its_bounds_is_refused_with_422_naming_the_field(visit, nurse, extra, field):
    response = post_entry(client_for(nurse), visit, "A1.1", {"met": [1, 2]}, **extra)
    _refused_naming(response, field)
    assert not ScoreEntry.objects.exists() and not Submission.objects.exists()


def test_an_entry_key_beyond_its_column_is_refused_with_422(visit, nurse):
    _refused_naming(post_entry(client_for(nurse), visit, "A" * 41, {"met": [1]}), "key")


def test_an_entry_at_its_bounds_is_stored(visit, nurse):
    response = post_entry(
        client_for(nurse), visit, "A1.1", {"met": [1, 2]}, device_id="d" * 64, sequence=2**63 - 1,
        comment="說" * MESSAGE_MAX_LENGTH,
    )  # fmt: skip
    assert response.status_code == 200, response.content[:300]
    assert len(ScoreEntry.objects.get().comment) == MESSAGE_MAX_LENGTH


def test_an_exemption_reason_inside_the_value_is_bounded_too(programs, office, nurse):
    from .conftest import make_visit

    visit = make_visit(programs, office, "psych-rehab-residential-107", team=[("委員", nurse)])
    value = {"exempt": True, "reason": "x" * (REASON_MAX_LENGTH + 1)}
    response = post_entry(client_for(nurse), visit, "3.5", value)
    assert response.status_code == 422 and "reason" in response.json()["error"]
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "", "strengths": "x" * (STATEMENT_MAX_LENGTH + 1)}, "strengths"),
        ({"key": "", "recommendations": "x" * (STATEMENT_MAX_LENGTH + 1)}, "recommendations"),
        ({"key": "A" * 41, "strengths": "x"}, "key"),
    ],
)
def test_an_opinion_beyond_its_bounds_is_refused_with_422_naming_the_field(visit, nurse, body, field):
    response = client_for(nurse).put(
        f"/api/assessments/visits/{visit.pk}/opinion/entries",
        data=json.dumps(body),
        content_type="application/json",
    )
    _refused_naming(response, field)
    assert not OpinionEntry.objects.exists()


def test_the_openapi_document_states_the_bounds(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    entry = schemas["EntryIn"]["properties"]
    assert entry["comment"]["maxLength"] == MESSAGE_MAX_LENGTH
    assert entry["reason"]["maxLength"] == REASON_MAX_LENGTH
    assert entry["device_id"]["maxLength"] == 64 and entry["key"]["maxLength"] == 40
    sequence = entry["sequence"]["anyOf"][0]
    assert sequence["minimum"] == 0 and sequence["maximum"] == 2**63 - 1
    opinion = schemas["OpinionEntryIn"]["properties"]
    assert (
        opinion["strengths"]["maxLength"] == opinion["recommendations"]["maxLength"] == STATEMENT_MAX_LENGTH
    )


@pytest.mark.parametrize(
    ("post", "words"),
    [
        ({"key": "A" * 100, "text": "筆記"}, "基準"),  # varchar(40) on PostgreSQL
        ({"text": "x" * (MESSAGE_MAX_LENGTH + 1)}, "筆記"),
        ({"text": "x" * 1_000_000}, "筆記"),
    ],
)
def test_a_note_beyond_its_bounds_is_refused_with_a_form_error(visit, nurse, post, words):
    response = client_for(nurse).post(f"/assessments/visits/{visit.pk}/notes/", post, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"「{words}」" in page and "未儲存" in page, page[-2000:]
    assert not SurveyorNote.objects.exists()


def test_a_note_at_its_bound_is_stored(visit, nurse):
    client_for(nurse).post(f"/assessments/visits/{visit.pk}/notes/", {"text": "記" * MESSAGE_MAX_LENGTH})
    assert len(SurveyorNote.objects.get().text) == MESSAGE_MAX_LENGTH


def test_the_models_carry_the_same_bounds():
    from pingjian.web.assessments.models import Opinion
    from pingjian.web.registry.models import AbolitionReport, StatusAction
    from pingjian.web.visits.models import ConflictWaiver

    bounds = {
        (ScoreEntry, "comment"): MESSAGE_MAX_LENGTH,
        (SurveyorNote, "text"): MESSAGE_MAX_LENGTH,
        (OpinionEntry, "strengths"): STATEMENT_MAX_LENGTH,
        (OpinionEntry, "recommendations"): STATEMENT_MAX_LENGTH,
        (Opinion, "returned_reason"): REASON_MAX_LENGTH,
        (StatusAction, "reason"): MESSAGE_MAX_LENGTH,
        (AbolitionReport, "grounds"): MESSAGE_MAX_LENGTH,
        (ConflictWaiver, "reason"): REASON_MAX_LENGTH,
    }
    assert {k: k[0]._meta.get_field(k[1]).max_length for k in bounds} == bounds
