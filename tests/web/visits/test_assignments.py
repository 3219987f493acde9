import pytest
from django.core.exceptions import ValidationError

from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.models import Institution
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict, do_end_assignment
from pingjian.web.visits.models import SurveyorAssignment
from tests.web.support import client_for


def test_a_conflicted_surveyor_cannot_be_assigned(conflicted_surveyor, theirs, office):
    with pytest.raises(ValidationError):
        do_assign_surveyor(conflicted_surveyor, theirs, actor=office, cycle_label="another")


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
