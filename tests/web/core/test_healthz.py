"""/healthz checks the database and says so in JSON (issue 16, item 1)."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError

from tests.web.support import client_for


def test_healthz_reports_the_database_in_json(db):
    response = client_for(None).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_does_not(db):
    failing = mock.patch(
        "pingjian.web.core.views.connection.cursor",
        side_effect=OperationalError("db.internal down"),
    )
    with failing:
        response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}
    assert "db.internal" not in response.content.decode()  # the detail goes to the log only
