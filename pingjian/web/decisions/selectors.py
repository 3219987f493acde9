"""What pages and other apps (documents: the result letter) read of decisions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from pingjian.web.applications.appeals import appeal_period
from pingjian.web.applications.selectors import applications_of_cycle
from pingjian.web.cycles.models import Cycle
from pingjian.web.notifications.attachments import AttachmentKind
from pingjian.web.notifications.models import Notification
from pingjian.web.registry.selectors import certificate_of_entry
from pingjian.web.visits.conflicts import conflicted_pairs

from .approval import approving_body
from .models import Appeal, Decision, Item, Member
from .permissions import FILE_APPEAL


def decision_of(application: Any) -> Decision | None:
    return Decision.objects.filter(application=application).select_related("item", "approved_by").first()


def appeal_of(application: Any) -> Appeal | None:
    return Appeal.objects.filter(decision__application=application).first()


def recusals(meeting: Any) -> set[tuple[int, int]]:
    """(member user id, item id) of every member conflicted with an item's institution: visits'
    conflict rule, not waived."""
    members = list(Member.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    items = list(Item.objects.filter(meeting=meeting).values_list("pk", "application__institution_id"))
    pairs = conflicted_pairs(surveyor_ids=members, institution_ids=[i for _pk, i in items])
    return {(user, pk) for pk, institution in items for user in members if (user, institution) in pairs}


def decision_context(user: Any, application: Any) -> dict[str, Any] | None:
    """The application page's decisions section: the approved decision (the institution sees it
    only then), the appeal, what the user may do."""
    decision = decision_of(application)
    if decision is None:
        return None
    if not (decision.approved_at or user.has_perm("decisions.view_item", decision.item)):
        return None
    program = application.program_version.program()
    return {
        "application": application,
        "decision": decision,
        "appeal": appeal_of(application),
        "approving_body": approving_body(program),
        "appeal_days": appeal_period(program).days,
        "can_appeal": user.has_perm(FILE_APPEAL, application)
        and application.state == "decided"
        and application.appeal_waived_on is None,
        "letter_sent_at": letter_sent_at(application),
        "can_see_item": user.has_perm("decisions.view_item", decision.item),
        "can_finalize": user.has_perm("decisions.record_decision")
        and application.state in ("decided", "appeal"),
    }


def certificate_context(user: Any, application: Any) -> dict[str, Any] | None:
    """The application page's certificate block: once the finalised result is published and has a
    certificate (a pass) that USER may see (the institution's members, the office)."""
    if application.state != "final":
        return None
    decision = Decision.objects.filter(application=application, published=True).first()
    if decision is None:
        return None
    certificate = certificate_of_entry(user, decision.registry_entry_id)
    if certificate is None:
        return None
    return {"certificate": certificate, "entry": certificate.entry}


def cycles_visible_to(user: Any) -> Any:
    return Cycle.objects.visible_to(user).order_by("-pk")


def scored_candidates(user: Any, cycle: Any, listed: set[int]) -> list[Any]:
    """The scored applications of CYCLE not yet on the meeting's agenda."""
    return [a for a in applications_of_cycle(user, cycle).filter(state="scored") if a.pk not in listed]


def surveyors() -> list[Any]:
    """Every active surveyor (評鑑委員): who may sit on a meeting or re-review an appeal."""
    return list(
        get_user_model()
        .objects.filter(memberships__role="surveyor", memberships__revoked_at__isnull=True, is_active=True)
        .distinct()
        .order_by("username")
    )


def letter_sent_at(application: Any) -> Any:
    """When the result letter went out by e-mail (the decision's notification, as the supplement
    letter's): the earliest e-mail of the `decide` transition's notifications, None before."""
    decide = application.transitions.filter(name="decide").order_by("-at", "-pk").first()
    if decide is None:
        return None
    return (
        Notification.objects.filter(attachment=AttachmentKind.RESULT_LETTER, attachment_ref=decide.pk)
        .exclude(emailed_at=None)
        .order_by("emailed_at")
        .values_list("emailed_at", flat=True)
        .first()
    )
