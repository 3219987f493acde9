"""Determination meetings (評定會議), their items and decisions, appeals (申復) and finalisation.
Every lookup goes through `core.access.get_object_for_user` (404 outside the user's scope, a
conflicted member included; 403 for an action the user may not take); every write is an action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pingjian.web.applications.models import Application, Result
from pingjian.web.applications.selectors import get_application
from pingjian.web.core.access import get_object_for_user, require_perm

from . import actions
from .approval import approving_body
from .forms import MeetingForm
from .models import Appeal, Item, Meeting, Member, Outcome
from .permissions import APPROVE, FILE_APPEAL, MANAGE, RECORD, REVIEW, VOTE
from .selectors import cycles_visible_to, recusals, scored_candidates, surveyors


def _expected_version(request: HttpRequest) -> int | None:
    """The version the page was rendered with (hidden field), for optimistic locking; None when
    absent or not a number (then the action's own checks still refuse a second recording)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _attempt(request: HttpRequest, fn: Callable[[], Any], done: str) -> bool:
    """Run the action; a refusal becomes the page's error message (nothing changed)."""
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def _posted_user(request: HttpRequest) -> Any:
    """The user the form names (its `user` field), or None."""
    return get_user_model().objects.filter(pk=request.POST.get("user") or 0).first()


def _attempt_for_posted_user(
    request: HttpRequest, act: Callable[[Any], Any], done: str, *, missing: str
) -> None:
    """Run ACT for the user the form names (as `_attempt`), or say MISSING when it names none."""
    who = _posted_user(request)
    if who is None:
        messages.error(request, missing)
    else:
        _attempt(request, lambda: act(who), done)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.visible_to(request.user).select_related("cycle")
    can_manage = request.user.has_perm(MANAGE)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, MANAGE)
        cycles = {c.pk: c for c in cycles_visible_to(request.user)}
        if form.is_valid() and form.cleaned_data["cycle"] in cycles:
            made: list[Meeting] = []
            data = form.cleaned_data
            cycle = cycles[data["cycle"]]
            ok = _attempt(
                request,
                lambda: made.append(
                    actions.do_create_meeting(
                        cycle, title=data["title"], held_on=data["held_on"], actor=request.user
                    )
                ),
                _("已建立評定會議。"),
            )
            if ok:
                return redirect("decisions:meeting", made[0].pk)
        else:
            messages.error(request, _("請選擇梯次並填寫會議名稱與日期。"))
    return render(
        request,
        "decisions/list.html",
        {
            "meetings": meetings,
            "can_manage": can_manage,
            "form": form,
            "cycles": cycles_visible_to(request.user) if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_for_user(Meeting, request.user, pk=pk)
    user = request.user
    if request.method == "POST":
        require_perm(user, MANAGE)
        step = request.POST.get("step")
        if step == "seat":
            _attempt_for_posted_user(
                request,
                lambda who: actions.do_seat_member(meeting, who, actor=user),
                _("已列入評定委員。"),
                missing=_("請選擇評定委員。"),
            )
        elif step == "attendance":
            member = Member.objects.filter(meeting=meeting, pk=request.POST.get("member") or 0).first()
            if member is not None:
                attended = request.POST.get("attended") == "1"
                _attempt(
                    request,
                    lambda: actions.do_record_attendance(member, attended=attended, actor=user),
                    _("已登錄出席。"),
                )
        elif step == "add":
            application = Application.objects.filter(pk=request.POST.get("application") or 0).first()
            if application is None:
                messages.error(request, _("請選擇申請案。"))
            else:
                _attempt(
                    request,
                    lambda: actions.do_add_item(meeting, application, actor=user),
                    _("已列入評定案。"),
                )
        elif step == "recuse":
            item = Item.objects.filter(meeting=meeting, pk=request.POST.get("item") or 0).first()
            who = _posted_user(request)
            if item is None or who is None:
                messages.error(request, _("請選擇評定委員與評定案。"))
            else:
                reason = request.POST.get("reason", "")
                _attempt(
                    request,
                    lambda: actions.do_record_recusal(item, who, actor=user, reason=reason),
                    _("已登錄迴避。"),
                )
        return redirect("decisions:meeting", meeting.pk)
    items = Item.objects.visible_to(user).filter(meeting=meeting).select_related("application__institution")
    recused = recusals(meeting)
    members = list(meeting.members.select_related("user"))
    can_manage = user.has_perm(MANAGE)
    listed = set(Item.objects.filter(meeting=meeting).values_list("application_id", flat=True))
    return render(
        request,
        "decisions/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "members": [{"member": m, "recused": [i for u, i in recused if u == m.user_id]} for m in members],
            "can_manage": can_manage,
            "candidates": scored_candidates(user, meeting.cycle, listed) if can_manage else [],
            "surveyors": surveyors() if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_for_user(Item, request.user, pk=pk)
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "vote":
            require_perm(user, VOTE, item)
            result = request.POST.get("result", "")
            _attempt(request, lambda: actions.do_vote(item, actor=user, result=result), _("已登錄意見。"))
        elif step == "record":
            require_perm(user, RECORD)
            result, reason = request.POST.get("result", ""), request.POST.get("reason", "")
            expected = _expected_version(request)
            _attempt(
                request,
                lambda: actions.do_record_decision(
                    item, actor=user, result=result, reason=reason, expected_version=expected
                ),
                _("已登錄評定會議決議，待核定。"),
            )
        elif step == "approve":
            require_perm(user, APPROVE)
            decision = getattr(item, "decision", None)
            if decision is not None:
                expected = _expected_version(request)
                _attempt(
                    request,
                    lambda: actions.do_approve_decision(decision, actor=user, expected_version=expected),
                    _("已核定評定結果。"),
                )
        else:
            raise PermissionDenied("decisions.item")
        return redirect("decisions:item", item.pk)
    application = item.application
    decision = getattr(item, "decision", None)
    mine = item.votes.filter(member__user=user).first()
    return render(
        request,
        "decisions/item.html",
        {
            "item": item,
            "application": application,
            "decision": decision,
            "votes": item.votes.select_related("member__user"),
            "mine": mine,
            "results": Result.choices,
            "approving_body": approving_body(application.program_version.program()),
            "can_vote": user.has_perm(VOTE, item) and decision is None,
            "can_record": user.has_perm(RECORD) and decision is None,
            "can_approve": user.has_perm(APPROVE) and decision is not None and decision.approved_at is None,
        },
    )


def _application(request: HttpRequest, pk: int) -> Application:
    return get_application(request, pk)


@login_required
@require_POST
def file_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution files its appeal (申復) from the application page."""
    application = _application(request, pk)
    require_perm(request.user, FILE_APPEAL, application)
    statement = request.POST.get("statement", "")
    _attempt(
        request,
        lambda: actions.do_file_appeal(application, actor=request.user, statement=statement),
        _("已提出申復。"),
    )
    return redirect(reverse("applications:detail", args=[application.pk]))


@login_required
@require_POST
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, RECORD)
    _attempt(
        request,
        lambda: actions.do_finalize_decision(application, actor=request.user),
        _("結果已確定。"),
    )
    return redirect(reverse("applications:detail", args=[application.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def appeal_page(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_for_user(Appeal, request.user, pk=pk)
    user = request.user
    if request.method == "POST":
        require_perm(user, REVIEW)
        step = request.POST.get("step")
        if step == "reviewer":
            _attempt_for_posted_user(
                request,
                lambda who: actions.do_assign_reviewer(appeal, who, actor=user),
                _("已指派複審委員。"),
                missing=_("請選擇複審委員。"),
            )
        elif step == "outcome":
            post = request.POST
            _attempt(
                request,
                lambda: actions.do_record_appeal_outcome(
                    appeal,
                    actor=user,
                    outcome=post.get("outcome", ""),
                    reason=post.get("reason", ""),
                    new_result=post.get("new_result", ""),
                    expected_version=_expected_version(request),
                ),
                _("已登錄申復結果。"),
            )
        return redirect("decisions:appeal", appeal.pk)
    can_review = user.has_perm(REVIEW)
    return render(
        request,
        "decisions/appeal.html",
        {
            "appeal": appeal,
            "decision": appeal.decision,
            "application": appeal.decision.application,
            "reviewers": appeal.reviewers.select_related("surveyor"),
            "can_review": can_review and not appeal.outcome,
            "surveyors": surveyors() if can_review else [],
            "outcomes": Outcome.choices,
            "results": Result.choices,
        },
    )
