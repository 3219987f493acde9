from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingjian.web.accounts.permissions import bureau_counties_of
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.sections import render_sections
from pingjian.web.programs.models import ProgramVersion

from .actions import (
    defaults_for,
    do_compute_targets,
    do_create_cycle,
)
from .forms import CycleForm
from .models import Cycle


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
        chosen = request.GET.get("version", "")
        # a key from a link on the programs page; anything else (text, 10^20) simply chooses nothing
        key = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 19 else 0
        version = ProgramVersion.objects.published().filter(pk=key).first()
        if version:
            initial = {"program_version": version, **defaults_for(version)}
        form = CycleForm(initial=initial)
    return render(request, "cycles/create.html", {"form": form})


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_for_user(Cycle, request.user, pk=pk)
    user = request.user
    targets = cycle.targets.visible_to(user).select_related("institution", "confirmed_by")
    counties = bureau_counties_of(user)
    return render(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "sections": render_sections("cycle", request, cycle, {"cycle": cycle}),
            "targets": targets,
            "can_compute": user.has_perm("cycles.compute_targets"),
            "confirmable": targets.filter(
                institution__county__in=counties, confirmed_at__isnull=True
            ).exists(),
        },
    )


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
