"""The demo has one finalised case per program with its certificate in the registry (issue 14, done
when), each gone the real way: scored by its team through the assessments app, listed on a
determination meeting with the rules core's proposal, the decision recorded by the office and
approved by the program's owner, the result letter's receipt recorded, the appeal period (seed 002
§十二(一): 14 days from the day after receipt) passed, finalised into the registry."""

from __future__ import annotations

import pytest

from pingjian.web.applications.workflow import State
from pingjian.web.assessments.models import Assessment, Opinion
from pingjian.web.audit.bindings import check_bindings
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.dashboard.demo.finalised import CASES
from pingjian.web.dashboard.demo.renewal import EARLIER_TITLE
from pingjian.web.decisions.models import Decision
from pingjian.web.registry.models import Certificate, RegistryEntry
from tests.web.support import client_for

PROGRAMS = {
    "aesthetic-clinic-112", "cell-therapy-clinic-112", "postpartum-111",
    "psych-rehab-day-107", "psych-rehab-residential-107",
}  # fmt: skip


@pytest.mark.slow
def test_one_finalised_case_per_program_with_its_certificate_in_the_registry(db, demo):
    # the official cycles' cases; the renewed clinic's earlier cycle (demo/renewal.py) has its own test
    decisions = Decision.objects.select_related(
        "application__institution", "application__program_version"
    ).exclude(application__cycle__title=EARLIER_TITLE)
    assert (
        {d.application.program_version.program_id for d in decisions}
        == PROGRAMS
        == {c.program_id for c in CASES}
    )
    assert decisions.count() == len(PROGRAMS)
    for decision in decisions:
        application = decision.application
        program_id = application.program_version.program_id
        # scored by the team through assessments, with its opinions approved; the proposal is the core's
        assessment = Assessment.objects.get(visit__application=application)
        assert assessment.submitted and application.total == assessment.total
        assert decision.item.proposed_result == assessment.result == decision.result == "pass"
        assert Opinion.objects.get(visit=assessment.visit).state == Opinion.State.APPROVED
        # approved by the owner's approver (計畫管理者), not the office member who recorded it
        assert decision.approved_by.username == "admin" and decision.recorded_by.username == "office"
        # receipt recorded; finalised only after the appeal period, without an appeal
        assert application.notice_received_on and application.appeal_due
        final = application.transitions.get(name="finalize")
        assert application.state == State.FINAL and final.effective_on > application.appeal_due
        assert not application.transitions.filter(name="appeal").exists()
        assert decision.published
        entry = RegistryEntry.objects.get(institution=application.institution, program_id=program_id)
        assert (entry.valid_from, entry.valid_until) == (decision.valid_from, decision.valid_until)
        certificate = Certificate.objects.get(entry=entry)
        page = client_for(demo.users["office"]).get(f"/registry/verify/{certificate.verification_code}/")
        assert page.status_code == 200 and application.institution.name in page.content.decode()
    # the validity is the rules core's: postpartum-111 to 115/12/31 (seed 002 §十三), the JCT three
    # years from the board's decision (seed 000), the psychiatric programs none (seed 003 states none)
    validity = {d.application.program_version.program_id: (d.valid_from, d.valid_until) for d in decisions}
    assert str(validity["postpartum-111"][1]) == "2026-12-31"
    assert str(validity["aesthetic-clinic-112"]) == str(validity["cell-therapy-clinic-112"])
    assert validity["psych-rehab-day-107"][1] is None
    # and one more: the renewed clinic's earlier cell-therapy case (demo/renewal.py)
    assert AuditEvent.objects.filter(event_type=EventType.DECISION_FINALIZED).count() == len(PROGRAMS) + 1
    assert check_bindings() == []  # every state with weight was set by its audited action


@pytest.mark.slow
def test_seeding_again_changes_nothing(db, demo):
    before = (Decision.objects.count(), Certificate.objects.count(), AuditEvent.objects.count())
    seed_demo()
    assert (Decision.objects.count(), Certificate.objects.count(), AuditEvent.objects.count()) == before
