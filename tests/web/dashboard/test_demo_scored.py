"""The demo has one visit scored on site by its team, with its opinions (issue 13, done when: 「The
demo has a cycle with scheduled visits, one scored visit with its opinions」): the total on the
application is the rules core's on the team's consensus, and the pages show it."""

from __future__ import annotations

import pytest

from pingjian.web.applications.workflow import State
from pingjian.web.assessments.actions import computed_for
from pingjian.web.assessments.models import Assessment, Kind, Opinion
from pingjian.web.audit.bindings import check_bindings
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.clock import local_today
from pingjian.web.cycles.models import Cycle
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.dashboard.demo.cycles import CURRENT_TITLE
from pingjian.web.visits.models import Visit
from tests.web.support import client_for


@pytest.mark.slow
def test_the_demo_has_a_visit_scored_by_its_team_with_opinions_approved(db, demo):
    assessment = Assessment.objects.select_related("visit__application").get(
        visit__application__cycle__title=CURRENT_TITLE
    )
    visit, application = assessment.visit, assessment.visit.application
    assert application.cycle == Cycle.objects.get(title=CURRENT_TITLE)
    assert application.state == State.SCORED and visit.day < local_today()
    assert application.visit_date == visit.day
    members = {m.surveyor.username for m in visit.members.select_related("surveyor")}
    assert members == {"surveyor", "surveyor-safety"}
    # each member scored on their own, the team agreed, submitted; the office recorded the core's total
    assert {e.surveyor.username for e in assessment.entries.filter(kind=Kind.MEMBER)} == members
    assert assessment.submitted
    result = computed_for(assessment, visit).result
    assert result is not None and application.total == result.total == assessment.total
    assert result.total < result.max_total  # not a made-up full mark
    for event in (
        EventType.ASSESSMENT_SUBMITTED,
        EventType.ASSESSMENT_SCORE_RECORDED,
        EventType.OPINION_APPROVED,
    ):
        # this one, the five finalised cases' (demo/finalised.py) and the renewed clinic's (demo/renewal.py)
        assert AuditEvent.objects.filter(event_type=event).count() == Assessment.objects.count() == 7
    opinion = Opinion.objects.get(visit=visit)
    assert opinion.state == Opinion.State.APPROVED and opinion.entries.filter(key="").exists()
    assert check_bindings() == []  # every state with weight was set by its audited action

    office, surveyor = demo.users["office"], demo.users["surveyor"]
    page = client_for(office).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="assessment-total"' in page and str(result.total) in page
    opinions = client_for(surveyor).get(f"/assessments/visits/{visit.pk}/opinions/").content.decode()
    assert "機構環境整潔" in opinions
    # the cycle's other visits were planned as of today, after the scored one
    ahead = Visit.objects.filter(application__cycle=application.cycle).exclude(pk=visit.pk)
    assert ahead.exists() and all(v.day >= local_today() for v in ahead)


@pytest.mark.slow
def test_seeding_again_changes_nothing(db, demo):
    before = (Assessment.objects.count(), Visit.objects.count(), AuditEvent.objects.count())
    seed_demo()
    assert (Assessment.objects.count(), Visit.objects.count(), AuditEvent.objects.count()) == before
