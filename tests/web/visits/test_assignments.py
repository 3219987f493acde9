import pytest
from django.core.exceptions import ValidationError

from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.models import Institution
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict, do_end_assignment
from pingjian.web.visits.conflicts import refuse_conflicted
from pingjian.web.visits.models import SurveyorAssignment
from tests.web.support import client_for


def test_a_conflicted_surveyor_cannot_be_assigned(conflicted_surveyor, theirs, office):
    with pytest.raises(ValidationError, match="有利益迴避情形，不得指派"):
        do_assign_surveyor(conflicted_surveyor, theirs, actor=office, cycle_label="another")


def test_the_one_refusal_of_a_conflicted_surveyor_names_its_code_and_words_only_when_refusing(
    conflicted_surveyor, surveyor, theirs
):
    """visits.conflicts.refuse_conflicted: assigning here, seating and re-review in decisions."""
    with pytest.raises(ValidationError) as exc:
        refuse_conflicted(conflicted_surveyor, theirs.pk, lambda: "應迴避", code="conflicted")
    assert exc.value.code == "conflicted" and exc.value.messages == ["應迴避"]
    refuse_conflicted(surveyor, theirs.pk, lambda: pytest.fail("the words are made only for a refusal"))


def test_only_surveyors_can_be_assigned(institution_user, theirs, office):
    with pytest.raises(ValidationError):
        do_assign_surveyor(institution_user, theirs, actor=office)


def test_declaring_a_conflict_hides_the_institution_at_once(surveyor, ours):
    assert Institution.objects.visible_to(surveyor).filter(pk=ours.pk).exists()
    do_declare_conflict(surveyor, ours, actor=surveyor, reason="親屬任職")
    assert not Institution.objects.visible_to(surveyor).filter(pk=ours.pk).exists()
    assert AuditEvent.objects.filter(event_type="surveyor.conflict_declared").count() == 1


def test_an_ended_assignment_hides_the_institution(surveyor, ours, office):
    assignment = SurveyorAssignment.objects.get(surveyor=surveyor)
    do_end_assignment(assignment, actor=office, reason="梯次結束")
    assert not Institution.objects.visible_to(surveyor).exists()


def test_a_conflict_needs_a_reason(surveyor, ours):
    with pytest.raises(ValidationError):
        do_declare_conflict(surveyor, ours, actor=surveyor, reason=" ")


def test_assigning_a_surveyor_already_assigned_is_refused_by_name_and_adds_nothing(surveyor, ours, office):
    """Found by the permission matrix (issue 16): the API answered 500 (the unique constraint)."""
    before = SurveyorAssignment.objects.count()
    response = client_for(office).post(
        "/api/visits/assignments",
        {"surveyor_id": surveyor.pk, "institution_code": ours.code},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "已指派" in response.json()["detail"][0]
    assert SurveyorAssignment.objects.count() == before
