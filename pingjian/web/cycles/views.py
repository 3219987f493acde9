from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingjian.web.accounts.permissions import bureau_counties_of, institution_ids_of
from pingjian.web.applications.actions import do_open_application
from pingjian.web.applications.models import Application
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.institutions.models import Institution
from pingjian.web.programs.models import ProgramVersion

from .actions import (
    defaults_for,
    do_compute_targets,
    do_confirm_targets,
    do_create_cycle,
    institution_types_of,
)
from .forms import CycleForm
from .models import Cycle, CycleMode


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = Cycle.objects.visible_to(request.user).select_related("program_version")
    return render(
        request, "cycles/list.html", {"cycles": cycles, "can_add": request.user.has_perm("cycles.add_cycle")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "cycles.add_cycle")
    if request.method == "POST":
        form = CycleForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("program_version")
            try:
                cycle = do_create_cycle(version, actor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已建立梯次。"))
                return redirect("cycles:detail", pk=cycle.pk)
    else:
        initial = {}
        version = ProgramVersion.objects.published().filter(pk=request.GET.get("version") or 0).first()
        if version:
            initial = {"program_version": version, **defaults_for(version)}
        form = CycleForm(initial=initial)
    return render(request, "cycles/create.html", {"form": form})


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=pk)
    user = request.user
    applications = Application.objects.visible_to(user).filter(cycle=cycle).select_related("institution")
    types = institution_types_of(cycle.program_version.program())
    can_apply_for = []
    if cycle.mode == CycleMode.VOLUNTARY:
        taken = set(applications.values_list("institution_id", flat=True))
        can_apply_for = list(
            Institution.objects.filter(pk__in=institution_ids_of(user), type__in=types).exclude(pk__in=taken)
        )
    targets = cycle.targets.visible_to(user).select_related("institution", "confirmed_by")
    counties = bureau_counties_of(user)
    return render(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "applications": applications.order_by("institution__code"),
            "can_apply_for": can_apply_for,
            "targets": targets,
            "can_compute": user.has_perm("cycles.compute_targets"),
            "confirmable": targets.filter(
                institution__county__in=counties, confirmed_at__isnull=True
            ).exists(),
        },
    )


@login_required
@require_POST
def cycle_apply(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=pk)
    institution = get_object_for_user(Institution, request.user, pk=request.POST.get("institution") or 0)
    try:
        application = do_open_application(cycle, institution, actor=request.user)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cycles:detail", pk=cycle.pk)
    messages.success(request, _("已建立申請案草稿，請上傳資料後送出申請。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def targets_compute(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=pk, perm="cycles.compute_targets")
    try:
        summary = do_compute_targets(cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("評鑑對象 %(n)d 家。") % {"n": summary.targets})
    return redirect("cycles:detail", pk=cycle.pk)


@login_required
@require_POST
def targets_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=pk, perm="cycles.confirm_targets")
    confirmed = 0
    for county in sorted(bureau_counties_of(request.user)):
        confirmed += len(do_confirm_targets(cycle, county=county, actor=request.user))
    messages.success(request, _("已確認 %(n)d 家評鑑對象。") % {"n": confirmed})
    return redirect("cycles:detail", pk=cycle.pk)
