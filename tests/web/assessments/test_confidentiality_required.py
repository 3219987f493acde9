"""No scores without the confidentiality pledge: seed 002 §四(二) (評鑑委員…對評鑑工作所獲悉之各項
資訊，應負保密義務，除法規另有規定外，不得洩漏) and PRODUCT.md's surveyors who "accept confidentiality".
A surveyor who has not accepted confidentiality (保密同意) for the ROC year of the visit's cycle (the
year its visit period opens, as the surveyor's readiness counts it) records no member or consensus
entry, no note, no opinion, and submits nothing; the API answers 422 with the code, the pages say
where to sign; a pledge of another year does not count; the office's operator is not a surveyor and
is not asked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from pingjian.web.assessments.actions import (
    do_save_entry,
    do_save_note,
    do_save_opinion_entry,
    do_submit_assessment,
    do_submit_opinion,
)
from pingjian.web.assessments.models import (
    Assessment,
    Kind,
    Opinion,
    OpinionEntry,
    ScoreEntry,
    Submission,
    SurveyorNote,
)
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.cycles.models import Cycle
from pingjian.web.visits.actions import do_accept_confidentiality
from pingjian.web.visits.models import ConfidentialityAgreement
from tests.web.support import client_for

from .conftest import make_visit

# The cycle's visit period opens in 2023: ROC year 112, whatever year the tests run in; the visit
# itself is on a day of 2022 (111), so a rule reading the visit's day instead would be caught.
YEAR = 112
MESSAGE = "請先於「我的評鑑」頁簽署 112 年度保密同意"
VALUE = {"score": 1}
KEY = "C1"


@pytest.fixture
def unpledged(programs, office, nurse):
    """A postpartum visit whose only member (nurse) has accepted no confidentiality at all."""
    visit = make_visit(
        programs, office, "postpartum-111", day=dt.date(2022, 12, 20), team=[("醫護", nurse)], pledged=False
    )
    Cycle.objects.filter(pk=visit.application.cycle_id).update(
        application_opens=dt.date(2023, 3, 1),
        application_closes=dt.date(2023, 4, 30),
        visit_opens=dt.date(2023, 7, 1),
        visit_closes=dt.date(2023, 10, 31),
    )
    visit.application.cycle.refresh_from_db()
    return visit


def _nothing_written() -> None:
    assert ScoreEntry.objects.count() == 0
    assert Assessment.objects.count() == 0
    assert Submission.objects.count() == 0
    assert SurveyorNote.objects.count() == 0
    assert OpinionEntry.objects.count() == 0
    assert Opinion.objects.count() == 0
    assert not AuditEvent.objects.filter(
        event_type__in=[
            EventType.ASSESSMENT_ENTRY_SAVED,
            EventType.SURVEYOR_NOTE_SAVED,
            EventType.OPINION_SAVED,
            EventType.OPINION_SUBMITTED,
            EventType.ASSESSMENT_SUBMITTED,
        ]
    ).exists()


def _refused_everywhere(visit, nurse) -> None:
    for kind in (Kind.MEMBER, Kind.CONSENSUS):
        answer = do_save_entry(
            visit, actor=nurse, key=KEY, value=VALUE, kind=kind, device_id="tablet", sequence=1
        )
        assert answer["status"] == "invalid" and answer["code"] == "confidentiality_required", answer
        assert MESSAGE in answer["error"]
    for refused in (
        lambda: do_save_note(visit, actor=nurse, key="", text="先看消防檢修申報書"),
        lambda: do_save_opinion_entry(visit, actor=nurse, key="", strengths="環境整潔"),
        lambda: do_submit_opinion(visit, actor=nurse),
        lambda: do_submit_assessment(visit, actor=nurse),
    ):
        with pytest.raises(ValidationError) as caught:
            refused()
        assert caught.value.code == "confidentiality_required"
        assert MESSAGE in " ".join(caught.value.messages)
    _nothing_written()


def test_without_the_pledge_entries_notes_and_opinions_are_refused_and_nothing_is_written(unpledged, nurse):
    _refused_everywhere(unpledged, nurse)


def test_a_pledge_for_another_year_does_not_count(unpledged, nurse):
    for year in (YEAR - 1, YEAR + 1):
        do_accept_confidentiality(nurse, program_year=year, actor=nurse)
    _refused_everywhere(unpledged, nurse)


def test_after_the_pledge_of_the_cycles_year_everything_is_accepted(unpledged, nurse):
    do_accept_confidentiality(nurse, program_year=YEAR, actor=nurse)
    for kind in (Kind.MEMBER, Kind.CONSENSUS):
        answer = do_save_entry(unpledged, actor=nurse, key=KEY, value=VALUE, kind=kind)
        assert answer["status"] == "stored", answer
    do_save_note(unpledged, actor=nurse, key="", text="先看消防檢修申報書")
    do_save_opinion_entry(unpledged, actor=nurse, key="", strengths="環境整潔")
    assert do_submit_opinion(unpledged, actor=nurse).state == Opinion.State.SUBMITTED
    assert ScoreEntry.objects.filter(assessment__visit=unpledged).count() == 2
    assert SurveyorNote.objects.count() == 1 and OpinionEntry.objects.count() == 1


def test_the_office_operator_is_not_asked(unpledged, office):
    answer = do_save_entry(unpledged, actor=office, key=KEY, value=VALUE)
    assert answer["status"] == "stored", answer
    assert not ConfidentialityAgreement.objects.exists()
    html = client_for(office).get(f"/assessments/visits/{unpledged.pk}/").content.decode()
    assert 'data-testid="confidentiality-required"' not in html and "scoring.js" in html


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_the_api_answers_422_with_the_code_and_the_message(unpledged, nurse):
    client = client_for(nurse)
    entries = f"/api/assessments/visits/{unpledged.pk}/entries"
    for kind in (Kind.MEMBER, Kind.CONSENSUS):
        response = _post(
            client, entries, {"key": KEY, "value": VALUE, "kind": kind, "device_id": "t", "sequence": 1}
        )
        assert response.status_code == 422
        assert response.json()["code"] == "confidentiality_required" and MESSAGE in response.json()["error"]
    state = client.get(f"/api/assessments/visits/{unpledged.pk}").json()
    assert state["confidentiality_required"]["program_year"] == YEAR
    opinion = _post(
        client, f"/api/assessments/visits/{unpledged.pk}/opinion/entries", {"strengths": "x"}, "put"
    )
    assert opinion.status_code == 422 and MESSAGE in opinion.json()["detail"]
    submit = client.post(f"/api/assessments/visits/{unpledged.pk}/opinion/submit")
    assert submit.status_code == 422 and MESSAGE in submit.json()["detail"]
    assert client.post(f"/api/assessments/visits/{unpledged.pk}/submit").status_code == 422
    _nothing_written()
    # signed: the same entry, same device and sequence, is stored (a refusal is not replayed)
    do_accept_confidentiality(nurse, program_year=YEAR, actor=nurse)
    response = _post(client, entries, {"key": KEY, "value": VALUE, "device_id": "t", "sequence": 1})
    assert response.status_code == 200 and response.json()["status"] == "stored"
    assert client.get(f"/api/assessments/visits/{unpledged.pk}").json()["confidentiality_required"] is None


def test_the_scoring_page_shows_the_notice_and_no_form_to_type_into(unpledged, nurse):
    client = client_for(nurse)
    page = client.get(f"/assessments/visits/{unpledged.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="confidentiality-required"' in html and "112 年度保密同意" in html
    assert f'href="/visits/?year={YEAR}#confidentiality"' in html
    assert '<fieldset disabled data-testid="scoring-disabled">' in html
    assert "scoring.js" not in html and 'data-testid="submit-assessment"' not in html
    opinions = client.get(f"/assessments/visits/{unpledged.pk}/opinions/").content.decode()
    assert 'data-testid="confidentiality-required"' in opinions and 'value="save"' not in opinions
    # the pages' own posts are refused with the message, nothing stored
    noted = client.post(f"/assessments/visits/{unpledged.pk}/notes/", {"text": "記"}, follow=True)
    assert MESSAGE in noted.content.decode()
    saved = client.post(
        f"/assessments/visits/{unpledged.pk}/opinions/", {"step": "save", "strengths-": "好"}, follow=True
    )
    assert MESSAGE in saved.content.decode()
    _nothing_written()
    do_accept_confidentiality(nurse, program_year=YEAR, actor=nurse)
    html = client.get(f"/assessments/visits/{unpledged.pk}/").content.decode()
    assert 'data-testid="confidentiality-required"' not in html and "scoring.js" in html
    assert "scoring-disabled" not in html


def test_the_surveyors_page_offers_the_pledge_of_the_visits_year(unpledged, nurse):
    """The notice sends the surveyor to their own page for 112, a year that is not this one: the
    page offers it, and signing it there lets them score."""
    client = client_for(nurse)
    html = client.get(f"/visits/?year={YEAR}").content.decode()
    assert f'data-testid="confidentiality-due-{YEAR}"' in html
    assert f'name="program_year" value="{YEAR}"' in html
    client.post("/visits/confidentiality/accept/", {"accept": "on", "program_year": YEAR})
    assert ConfidentialityAgreement.objects.filter(surveyor=nurse, program_year=YEAR).exists()
    assert do_save_entry(unpledged, actor=nurse, key=KEY, value=VALUE)["status"] == "stored"


def test_a_surveyor_cannot_pledge_a_year_none_of_their_cycles_is_in(unpledged, nurse):
    client = client_for(nurse)
    assert 'data-testid="confidentiality-due-99"' not in client.get("/visits/?year=99").content.decode()
    client.post("/visits/confidentiality/accept/", {"accept": "on", "program_year": 99})
    assert not ConfidentialityAgreement.objects.filter(program_year=99).exists()
