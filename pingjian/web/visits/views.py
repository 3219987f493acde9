"""Surveyors' pages: their own assignments, visits, conflict-of-interest declarations and
confidentiality (保密); the program office's view of every surveyor with the assignment form, the
roster (expertise, programs, consensus meeting) and a cycle's visit schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingjian.rules.roc import to_roc_year
from pingjian.web.accounts.models import User
from pingjian.web.accounts.permissions import institution_ids_of, is_office_staff, is_surveyor
from pingjian.web.accounts.roles import Role
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.clock import local_today
from pingjian.web.core.links import absolute_url
from pingjian.web.cycles.models import Cycle
from pingjian.web.institutions.models import Institution
from pingjian.web.programs.models import ProgramVersion

from .actions import (
    do_accept_confidentiality,
    do_add_surveyor_history,
    do_assign_surveyor,
    do_change_team_member,
    do_change_visit_date,
    do_declare_conflict,
    do_declare_conflict_by_institution,
    do_end_assignment,
    do_issue_calendar_feed,
    do_pin_visit,
    do_plan_cycle_visits,
    do_record_bureau_attendance,
    do_record_consensus_attendance,
    do_remove_unavailable,
    do_revoke_calendar_feed,
    do_set_surveyor_profile,
    do_set_unavailable,
    do_waive_conflict,
)
from .conflicts import conflicts
from .forms import (
    AssignmentForm,
    BureauAttendanceForm,
    ChangeDateForm,
    ChangeTeamMemberForm,
    ConfidentialityForm,
    ConflictForm,
    ConsensusAttendanceForm,
    HistoryForm,
    InstitutionConflictForm,
    OfficeUnavailabilityForm,
    PinVisitForm,
    SurveyorProfileForm,
    UnavailabilityForm,
    WaiverForm,
)
from .ical import visits_calendar
from .models import (
    CalendarFeed,
    ConfidentialityAgreement,
    ConflictOfInterest,
    ConflictSide,
    ConflictWaiver,
    SurveyorAssignment,
    SurveyorHistory,
    SurveyorUnavailability,
    Visit,
)
from .planning import plan_of, program_family, waiting_applications
from .selectors import cleared_surveyors, pledge_years, pledges_due, readiness


def program_family_choices() -> list[tuple[str, str]]:
    """The programs a surveyor may be put on the roster for, by family (postpartum, …)."""
    titles: dict[str, str] = {}
    for version in ProgramVersion.objects.published().order_by("program_id", "-number"):
        titles.setdefault(program_family(version.program_id), version.title)
    return sorted(titles.items())


def program_year_today() -> int:
    """The ROC year surveyors accept confidentiality for (e.g. 112 in 2023)."""
    return to_roc_year(timezone.localdate().year)


def _assigned_institutions(surveyor: Any) -> Any:
    """Institutions the surveyor is actively assigned to and not conflicted with (their scope)."""
    return (
        Institution.objects.visible_to(surveyor)
        .filter(assignments__surveyor=surveyor, assignments__ended_at__isnull=True)
        .distinct()
    )


# --- the surveyor's own page ----------------------------------------------------------------------------


def _upcoming_unavailable(surveyor: Any) -> Any:
    return SurveyorUnavailability.objects.filter(surveyor=surveyor, day__gte=local_today()).order_by(
        "day", "half"
    )


def _asked_year(request: HttpRequest) -> int | None:
    """The year a scoring page sent the surveyor to accept confidentiality for (`?year=112`)."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) <= 3 else None


def _my_page(
    request: HttpRequest, *, conflict_form: Any = None, unavailable_form: Any = None, status: int = 200
) -> HttpResponse:
    surveyor = request.user
    year = program_year_today()
    ready = readiness(surveyor, local_today())
    other_years = pledges_due(surveyor, local_today(), ready, asked=_asked_year(request))
    assigned = _assigned_institutions(surveyor)
    assignments = (
        SurveyorAssignment.objects.active()
        .filter(surveyor=surveyor, institution__in=assigned)
        .select_related("institution")
        .order_by("institution__name")
    )
    return render(
        request,
        "visits/mine.html",
        {
            "assignments": assignments,
            "conflicts": ConflictOfInterest.objects.filter(
                surveyor=surveyor, side=ConflictSide.SURVEYOR
            ).select_related("institution"),
            "program_year": year,
            "agreement": ConfidentialityAgreement.objects.filter(
                surveyor=surveyor, program_year=year
            ).first(),
            "confidentiality_form": ConfidentialityForm(),
            "pledge_forms": [
                (y, ConfidentialityForm(initial={"program_year": y}, auto_id=f"id_%s_{y}"))
                for y in other_years
            ],
            "conflict_form": conflict_form or ConflictForm(surveyor=surveyor, assigned=assigned),
            "visits": Visit.objects.visible_to(surveyor)
            .filter(members__surveyor=surveyor, day__gte=timezone.localdate())
            .select_related("application__institution")
            .distinct(),
            "unavailable": _upcoming_unavailable(surveyor),
            "readiness": ready,
            "unavailable_form": unavailable_form or UnavailabilityForm(auto_id="id_off_%s"),
            "unavailable_action": reverse("visits:mark_unavailable"),
        },
        status=status,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.view_own_surveyor_page")
    return _my_page(request)


@login_required
@require_POST
def declare_conflict(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.add_conflictofinterest")
    require_perm(request.user, "visits.view_own_surveyor_page")
    form = ConflictForm(request.POST, surveyor=request.user, assigned=_assigned_institutions(request.user))
    if not form.is_valid():
        return _my_page(request, conflict_form=form, status=422)
    institution = form.cleaned_data["target"]
    do_declare_conflict(
        request.user,
        institution,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        reason_code=form.cleaned_data["reason_code"],
    )
    messages.success(
        request,
        _("已申報與 %(institution)s 利益迴避；您將不會看到該機構的資料。")
        % {"institution": institution.name},
    )
    return redirect("visits:mine")


@login_required
@require_POST
def accept_confidentiality(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.add_confidentialityagreement")
    form = ConfidentialityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("請勾選同意保密規定"))
        return redirect("visits:mine")
    year = form.cleaned_data["program_year"] or program_year_today()
    if year not in pledge_years(request.user, local_today()):
        messages.error(request, _("%(year)s 年度非您的評鑑年度，無須簽署保密同意。") % {"year": year})
        return redirect("visits:mine")
    do_accept_confidentiality(request.user, program_year=year, actor=request.user)
    messages.success(request, _("已簽署 %(year)s 年度保密同意") % {"year": year})
    return redirect("visits:mine")


def _mark_unavailable(request: HttpRequest, surveyor: Any, form: Any) -> bool:
    """The form's half-days through the action; False (the refusal on the form) when refused."""
    if not form.is_valid():
        return False
    try:
        n = do_set_unavailable(
            surveyor, slots=form.slots(), actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return False
    if n:
        messages.success(request, _("已登錄 %(n)d 個不克訪查之半天。") % {"n": n})
    else:
        messages.info(request, _("該時段已登錄為不克訪查。"))
    return True


@login_required
@require_POST
def mark_unavailable(request: HttpRequest) -> HttpResponse:
    """The surveyor marks a half-day (or a whole day) of their own as unavailable."""
    require_perm(request.user, "visits.view_own_surveyor_page")
    require_perm(request.user, "visits.change_own_unavailability")
    form = UnavailabilityForm(request.POST, auto_id="id_off_%s")
    if _mark_unavailable(request, request.user, form):
        return redirect(reverse("visits:mine") + "#unavailable")
    return _my_page(request, unavailable_form=form, status=422)


@login_required
@require_POST
def remove_unavailable(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one unavailable half-day: the surveyor their own (another's is not found), the
    office anyone's; back to the page it was removed from."""
    row = get_object_for_user(SurveyorUnavailability, request.user, pk=pk)
    own = row.surveyor_id == request.user.pk
    require_perm(
        request.user, "visits.change_own_unavailability" if own else "visits.change_surveyorunavailability"
    )
    do_remove_unavailable(row, actor=request.user)
    messages.success(request, _("已刪除不克訪查時段。"))
    if own:
        return redirect(reverse("visits:mine") + "#unavailable")
    return redirect(reverse("visits:surveyor_detail", args=[row.surveyor_id]) + "#unavailable")


# --- the program office's surveyor pages ----------------------------------------------------------------


@login_required
@require_GET
def surveyor_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.manage_surveyors")
    year = program_year_today()
    surveyors = (
        User.objects.visible_to(request.user)
        .filter(memberships__role=Role.SURVEYOR, memberships__revoked_at__isnull=True, is_active=True)
        .distinct()
        .annotate(
            n_assignments=Count("assignments", filter=Q(assignments__ended_at__isnull=True), distinct=True),
            n_conflicts=Count("conflicts", distinct=True),
            n_confidential=Count(
                "confidentiality_agreements",
                filter=Q(confidentiality_agreements__program_year=year),
                distinct=True,
            ),
        )
        .order_by("username")
    )
    return render(request, "visits/surveyor_list.html", {"surveyors": surveyors, "program_year": year})


def _surveyor_or_404(request: HttpRequest, pk: int) -> Any:
    surveyor = get_object_for_user(User, request.user, pk=pk)
    require_perm(request.user, "visits.manage_surveyors")
    if not surveyor.memberships.filter(role=Role.SURVEYOR).exists():
        raise Http404("not a surveyor")
    return surveyor


def _surveyor_page(
    request: HttpRequest, surveyor: Any, *, form: Any = None, unavailable_form: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "visits/surveyor_detail.html",
        {
            "surveyor": surveyor,
            "assignments": surveyor.assignments.select_related("institution").order_by(
                "ended_at", "-assigned_at"
            ),
            "conflicts": ConflictOfInterest.objects.filter(surveyor=surveyor).select_related("institution"),
            "agreements": surveyor.confidentiality_agreements.order_by("-program_year"),
            "program_year": program_year_today(),
            "form": form or AssignmentForm(surveyor=surveyor),
            "profile": getattr(surveyor, "surveyor_profile", None),
            "profile_form": SurveyorProfileForm(
                program_choices=program_family_choices(),
                initial={
                    "expertise": getattr(getattr(surveyor, "surveyor_profile", None), "expertise", []),
                    "programs": getattr(getattr(surveyor, "surveyor_profile", None), "programs", []),
                },
            ),
            "consensus": surveyor.consensus_meetings.select_related("cycle").order_by("-attended_on"),
            "consensus_form": ConsensusAttendanceForm(),
            "unavailable": _upcoming_unavailable(surveyor),
            "unavailable_form": unavailable_form or OfficeUnavailabilityForm(auto_id="id_off_%s"),
            "unavailable_action": reverse("visits:record_unavailable", args=[surveyor.pk]),
        },
        status=status,
    )


@login_required
@require_GET
def surveyor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _surveyor_page(request, _surveyor_or_404(request, pk))


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    surveyor = _surveyor_or_404(request, pk)
    require_perm(request.user, "visits.add_surveyorassignment")
    form = AssignmentForm(request.POST, surveyor=surveyor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_assign_surveyor(
                surveyor, data["institution"], actor=request.user, cycle_label=data["cycle_label"],
                reason=data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request, _("已指派至 %(institution)s") % {"institution": data["institution"].name}
            )
            return redirect("visits:surveyor_detail", surveyor.pk)
    return _surveyor_page(request, surveyor, form=form, status=422)


@login_required
@require_POST
def record_unavailable(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a surveyor's unavailable half-days for them, with the reason."""
    surveyor = _surveyor_or_404(request, pk)
    require_perm(request.user, "visits.change_surveyorunavailability")
    form = OfficeUnavailabilityForm(request.POST, auto_id="id_off_%s")
    if _mark_unavailable(request, surveyor, form):
        return redirect(reverse("visits:surveyor_detail", args=[surveyor.pk]) + "#unavailable")
    return _surveyor_page(request, surveyor, unavailable_form=form, status=422)


@login_required
@require_POST
def end_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_for_user(
        SurveyorAssignment, request.user, perm="visits.change_surveyorassignment", pk=pk
    )
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("結束指派須填寫事由"))
    elif assignment.ended_at is None:
        try:
            do_end_assignment(assignment, actor=request.user, reason=reason)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已結束指派"))
    return redirect("visits:surveyor_detail", assignment.surveyor_id)


# --- the roster and the schedule ------------------------------------------------------------------------


@login_required
@require_POST
def set_profile(request: HttpRequest, pk: int) -> HttpResponse:
    surveyor = _surveyor_or_404(request, pk)
    form = SurveyorProfileForm(request.POST, program_choices=program_family_choices())
    if form.is_valid():
        try:
            do_set_surveyor_profile(
                surveyor,
                expertise=form.cleaned_data["expertise"],
                programs=form.cleaned_data["programs"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已更新委員名冊。"))
    else:
        messages.error(request, _("請選擇至少一項專長。"))
    return redirect("visits:surveyor_detail", pk=surveyor.pk)


@login_required
@require_POST
def record_consensus(request: HttpRequest, pk: int) -> HttpResponse:
    surveyor = _surveyor_or_404(request, pk)
    form = ConsensusAttendanceForm(request.POST)
    if form.is_valid():
        do_record_consensus_attendance(
            surveyor,
            form.cleaned_data["cycle"],
            attended_on=form.cleaned_data["attended_on"],
            actor=request.user,
        )
        messages.success(request, _("已登錄共識會議出席。"))
    else:
        messages.error(request, _("請選擇梯次並填寫出席日期。"))
    return redirect("visits:surveyor_detail", pk=surveyor.pk)


def _schedule_page(request: HttpRequest, cycle: Any, *, status: int = 200) -> HttpResponse:
    visits = (
        Visit.objects.visible_to(request.user)
        .filter(application__cycle=cycle)
        .select_related("application__institution")
        .prefetch_related("members__surveyor")
    )
    return render(
        request,
        "visits/schedule.html",
        {
            "cycle": cycle,
            "visits": visits,
            "plan": plan_of(cycle.program_version.program()),
            "waiting": waiting_applications(cycle),
            "pin_form": PinVisitForm(),
            "cleared": cleared_surveyors(cycle),
            "change_reasons": ChangeDateForm.base_fields["reason_code"].choices,
        },
        status=status,
    )


@login_required
@require_GET
def schedule(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=cycle_pk)
    require_perm(request.user, "visits.plan_visits")
    return _schedule_page(request, cycle)


@login_required
@require_POST
def plan(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=cycle_pk)
    require_perm(request.user, "visits.plan_visits")
    try:
        result = do_plan_cycle_visits(cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已排定 %(n)d 場實地訪查（%(seconds).1f 秒）。")
            % {"n": len(result.placements), "seconds": result.seconds},
        )
    return redirect("visits:schedule", cycle_pk=cycle.pk)


def _post_on_visit(
    request: HttpRequest, pk: int, *, perm: str, form_class: Any, action: Any, done: str, invalid: str
) -> HttpResponse:
    """A form posted from a row of the schedule: the visit in the caller's scope, the permission,
    the action, the outcome as a message, back to the schedule."""
    visit = get_object_for_user(Visit, request.user, pk=pk)
    require_perm(request.user, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(visit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid)
    return redirect("visits:schedule", cycle_pk=visit.application.cycle_id)


@login_required
@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_visit(
        request,
        pk,
        perm="visits.plan_visits",
        form_class=PinVisitForm,
        action=do_pin_visit,
        done=_("已固定訪查時段。"),
        invalid=_("請填寫訪查日期、時段與事由。"),
    )


@login_required
@require_POST
def change_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_visit(
        request,
        pk,
        perm="visits.plan_visits",
        form_class=ChangeTeamMemberForm,
        action=do_change_team_member,
        done=_("已更換訪查委員。"),
        invalid=_("請選擇角色與委員，並填寫事由。"),
    )


# --- conflicts: the institution's declarations, the office's review -------------------------------------


def _roster_surveyors() -> Any:
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.SURVEYOR,
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def _institution_conflicts_page(request: HttpRequest, *, form: Any = None, status: int = 200) -> HttpResponse:
    institutions = Institution.objects.filter(pk__in=institution_ids_of(request.user)).order_by("name")
    return render(
        request,
        "visits/institution_conflicts.html",
        {
            "form": form or InstitutionConflictForm(institutions=institutions, surveyors=_roster_surveyors()),
            "declared": ConflictOfInterest.objects.filter(
                institution__in=institutions, side=ConflictSide.INSTITUTION
            ).select_related("institution", "surveyor"),
        },
        status=status,
    )


@login_required
def institution_conflicts(request: HttpRequest) -> HttpResponse:
    """An institution's members declare conflicts with surveyors (機構申報委員迴避)."""
    require_perm(request.user, "visits.declare_conflict_as_institution")
    if request.method != "POST":
        return _institution_conflicts_page(request)
    institutions = Institution.objects.filter(pk__in=institution_ids_of(request.user))
    form = InstitutionConflictForm(request.POST, institutions=institutions, surveyors=_roster_surveyors())
    if not form.is_valid():
        return _institution_conflicts_page(request, form=form, status=422)
    data = form.cleaned_data
    try:
        do_declare_conflict_by_institution(
            data["institution"],
            data["surveyor"],
            actor=request.user,
            reason=data["reason"],
            reason_code=data["reason_code"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _institution_conflicts_page(request, form=form, status=422)
    messages.success(request, _("已申報；該委員將不會被指派至貴機構。"))
    return redirect("visits:institution_conflicts")


def _conflicts_page(request: HttpRequest, *, history_form: Any = None, status: int = 200) -> HttpResponse:
    found = conflicts()
    users = {u.pk: u for u in User.objects.filter(pk__in={c.surveyor_id for c in found})}
    places = {i.pk: i for i in Institution.objects.filter(pk__in={c.institution_id for c in found})}
    rows = [
        {"c": c, "surveyor": users[c.surveyor_id], "institution": places[c.institution_id]} for c in found
    ]
    return render(
        request,
        "visits/conflicts.html",
        {
            "rows": rows,
            "history_form": history_form or HistoryForm(surveyors=_roster_surveyors()),
            "history": SurveyorHistory.objects.select_related("surveyor", "institution"),
            "waivers": ConflictWaiver.objects.select_related("surveyor", "institution", "waived_by"),
        },
        status=status,
    )


@login_required
@require_GET
def conflict_list(request: HttpRequest) -> HttpResponse:
    """Every conflict (declared by either side, found in the records), the office's waivers of the
    soft ones, and the surveyors' employment and ownership history."""
    require_perm(request.user, "visits.manage_surveyors")
    return _conflicts_page(request)


@login_required
@require_POST
def waive(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.waive_conflict")
    form = WaiverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("免除利益迴避須以書面說明理由。"))
        return redirect("visits:conflicts")
    data = form.cleaned_data
    surveyor = get_object_for_user(User, request.user, pk=data["surveyor"])
    institution = get_object_for_user(Institution, request.user, pk=data["institution"])
    try:
        do_waive_conflict(
            surveyor, institution, basis=data["basis"], actor=request.user, reason=data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已免除；理由已記錄。"))
    return redirect("visits:conflicts")


@login_required
@require_POST
def add_history(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.add_surveyorhistory")
    form = HistoryForm(request.POST, surveyors=_roster_surveyors())
    if not form.is_valid():
        return _conflicts_page(request, history_form=form, status=422)
    data = form.cleaned_data
    try:
        do_add_surveyor_history(
            data["surveyor"],
            data["institution"],
            kind=data["kind"],
            title=data["title"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _conflicts_page(request, history_form=form, status=422)
    messages.success(request, _("已登錄委員經歷。"))
    return redirect("visits:conflicts")


# --- after planning: a change asked by the institution, the health bureau's attendance ------------------


@login_required
@require_POST
def change_date(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_visit(
        request,
        pk,
        perm="visits.plan_visits",
        form_class=ChangeDateForm,
        action=do_change_visit_date,
        done=_("已變更訪查日期並通知機構與訪查委員。"),
        invalid=_("請填寫新訪查日期、時段與變更事由。"),
    )


@login_required
@require_POST
def bureau_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_visit(
        request,
        pk,
        perm="visits.record_bureau_attendance",
        form_class=BureauAttendanceForm,
        action=do_record_bureau_attendance,
        done=_("已登錄衛生局會同情形。"),
        invalid=_("請選擇衛生局是否會同。"),
    )


# --- the iCalendar feed ----------------------------------------------------------------------------------


def feed_visits(user: Any) -> Any:
    """The visits a feed shows: a surveyor's own teams; an institution's members their visits; a
    health bureau its county's visits (the scope of visible_visits)."""
    visits = Visit.objects.visible_to(user)
    if is_surveyor(user) and not is_office_staff(user):
        visits = visits.filter(members__surveyor=user)
    return (
        visits.select_related("application__institution", "application__cycle__program_version")
        .prefetch_related("members__surveyor")
        .distinct()
    )


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The user's secret feed URL: issue (or renew), revoke."""
    require_perm(request.user, "visits.subscribe_calendar")
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            do_revoke_calendar_feed(request.user, actor=request.user)
            messages.success(request, _("已停用訂閱網址。"))
        else:
            do_issue_calendar_feed(request.user, actor=request.user)
            messages.success(request, _("已產生新的訂閱網址；舊網址已失效。"))
        return redirect("visits:calendar_feed")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = absolute_url(request, reverse("visits:feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "visits/calendar_feed.html",
        {"feed": feed, "url": url, "visits": feed_visits(request.user).filter(day__gte=timezone.localdate())},
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself (no sign-in: the token is the secret). 404 for a revoked or unknown token."""
    row = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    if row is None or not row.user.has_perm("visits.subscribe_calendar"):
        raise Http404("calendar feed not found")
    body = visits_calendar(
        feed_visits(row.user),
        name=f"評鑑實地訪查（{row.user}）",
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
