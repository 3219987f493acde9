import pytest
from django.core.exceptions import ValidationError

from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.models import Institution
from pingjian.web.visits.actions import do_assign_surveyor, do_declare_conflict, do_end_assignment
from pingjian.web.visits.models import SurveyorAssignment


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
