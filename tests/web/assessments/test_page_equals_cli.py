"""For every program, an assessment entered through the scoring page gives the same total, result
and per-item points as `pingjian score` on the same entries (issue 13, done when).

Without a browser: the form the page renders is read as a browser would (html.parser), each entry
is set in the inputs that criterion offers and turned into the value `assessments/scoring.js`
(`valueOf`) sends (a typed score is text, `met` always carries `not_applicable`), posted to the URL
the form names with the version it shows; then the team submits with the page's button."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pingjian.cli import main
from pingjian.web.assessments.scoring import trace_in_words
from tests.web.support import client_for

from .conftest import make_visit
from .test_scoring_api import _cases


class ScoringForm(HTMLParser):
    """The scoring form's fieldsets: key -> {version, forms: {form: [input attrs]}}."""

    def __init__(self) -> None:
        super().__init__()
        self.api = self.kind = ""
        self.fieldsets: dict[str, dict[str, Any]] = {}
        self.trace: list[str] = []
        self._key = self._form = None
        self._in_trace = self._in_li = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "scoring":
            self.api, self.kind = a["data-api"] or "", a["data-kind"] or ""
        elif tag == "fieldset" and "data-entry-key" in a:
            self._key = a["data-entry-key"]
            self.fieldsets[self._key] = {"version": int(a["data-version"] or 0), "forms": {}}
        elif "data-form" in a and self._key is not None:
            self._form = a["data-form"]
            self.fieldsets[self._key]["forms"].setdefault(self._form, [])
            if tag == "select":
                self.fieldsets[self._key]["forms"][self._form].append({"tag": "select", **a})
        elif tag in ("input", "option") and self._key is not None and self._form is not None:
            self.fieldsets[self._key]["forms"][self._form].append({"tag": tag, **a})
        elif tag == "ol" and a.get("class") is None and self._key is None and self.fieldsets:
            self._in_trace = True
        elif tag == "li" and self._in_trace:
            self._in_li = True
            self.trace.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset":
            self._key = self._form = None
        elif tag == "ol":
            self._in_trace = False
        elif tag == "li":
            self._in_li = False

    def handle_data(self, data: str) -> None:
        if self._in_li:
            self.trace[-1] += data


def read_form(client, visit) -> ScoringForm:
    response = client.get(f"/assessments/visits/{visit.pk}/")
    assert response.status_code == 200
    form = ScoringForm()
    form.feed(response.content.decode())
    return form


def value_as_the_page_sends(form: ScoringForm, key: str, value: dict[str, Any]) -> dict[str, Any]:
    """Set VALUE in the inputs the page offers for KEY and read them back as scoring.js does;
    an input the criterion does not offer fails the test."""
    offered = form.fieldsets[key]["forms"]
    if key.startswith("precondition:"):
        options = [i["value"] for i in offered["status"] if i["tag"] == "option"]
        assert value["status"] in options, (key, options)
        return {"status": value["status"]}
    if "exempt" in value:
        names = {i.get("name") for i in offered["exempt"]}
        assert {f"{key}-exempt", f"{key}-reason"} <= names
        return {"exempt": True, "reason": value["reason"]} if value.get("reason") else {"exempt": True}
    if "score" in value:
        (field,) = offered["score"]
        assert field["type"] == "number" and field["name"] == f"{key}-score"
        return {"score": str(value["score"])}
    if "met" in value:
        boxes = offered["met"]
        met = [int(b["value"]) for b in boxes if "data-met" in b and int(b["value"]) in value["met"]]
        na = value.get("not_applicable", [])
        na = [int(b["value"]) for b in boxes if "data-na" in b and int(b["value"]) in na]
        assert sorted(met) == sorted(value["met"]) and sorted(na) == sorted(value.get("not_applicable", []))
        return {"met": met, "not_applicable": na}
    (form_name,) = set(value) & {"grade", "result"}
    radios = [i["value"] for i in offered[form_name]]
    assert value[form_name] in radios, (key, radios)
    return {form_name: value[form_name]}


@pytest.mark.slow
@pytest.mark.parametrize(("program_id", "case"), _cases())
def test_the_page_assessment_equals_pingjian_score_on_the_same_entries(
    program_id, case, programs, office, nurse, tmp_path: Path
):
    assessment = case["assessment"]
    visit = make_visit(
        programs, office, program_id, day=assessment.get("assessed_on") or dt.date(2022, 8, 15),
        team=[("委員", nurse)],
    )  # fmt: skip
    client = client_for(nurse)
    form = read_form(client, visit)
    entries = [
        (f"precondition:{k}", {"status": v}) for k, v in (assessment.get("preconditions") or {}).items()
    ]
    entries += list(assessment["items"].items())
    assert {key for key, _ in entries} == set(form.fieldsets)  # the page asks for exactly these
    for sequence, (key, value) in enumerate(entries, start=1):
        body = {
            "key": key, "kind": form.kind, "value": value_as_the_page_sends(form, key, value),
            "base_version": form.fieldsets[key]["version"], "device_id": "page-1", "sequence": sequence,
        }  # fmt: skip
        response = client.post(form.api, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "stored", response.json()
    submitted = client.post(f"/assessments/visits/{visit.pk}/submit/", follow=True)
    assert "已送出評分" in submitted.content.decode()

    path = tmp_path / "assessment.json"
    path.write_text(json.dumps({**assessment, "assessed_on": visit.day.isoformat()}, default=str), "utf-8")
    cli = CliRunner().invoke(main, ["score", program_id, str(path), "--json"])
    assert cli.exit_code == 0, cli.output
    expected = json.loads(cli.output)
    visit.assessment.refresh_from_db()
    stored = visit.assessment
    assert (str(stored.total), str(stored.max_total), stored.result) == (
        expected["total"], expected["max_total"], expected["result"],
    )  # fmt: skip
    ours = client.get(f"/api/assessments/visits/{visit.pk}").json()["computed"]["score"]
    assert ours["items"] == expected["items"]
    assert read_form(client, visit).trace == trace_in_words(expected["trace"])
