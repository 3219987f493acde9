from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import do_enter_closure, do_withdraw_closure
from .forms import ClosureForm, WithdrawForm
from .models import Closure


@login_required
@require_http_methods(["GET", "POST"])
def closure_list(request: HttpRequest) -> HttpResponse:
    """The closures entered so far; office staff enter a new one on the same page."""
    user = request.user
    can_add = user.has_perm("closures.add_closure")
    form = None
    status = 200
    if request.method == "POST":
        require_perm(user, "closures.add_closure")
        form = ClosureForm(request.POST)
        if form.is_valid():
            try:
                do_enter_closure(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已登錄停班停課，受影響之期限已重新計算。"))
                return redirect("closures:list")
        status = 422
    elif can_add:
        form = ClosureForm()
    closures = Closure.objects.visible_to(user).select_related("entered_by")[:200]
    rows = [(c, WithdrawForm(prefix=f"c{c.pk}") if can_add else None) for c in closures]
    return render(
        request, "closures/list.html", {"rows": rows, "form": form, "can_add": can_add}, status=status
    )


@login_required
@require_POST
def closure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_for_user(Closure, request.user, perm="closures.delete_closure", pk=pk)
    form = WithdrawForm(request.POST, prefix=f"c{closure.pk}")
    if form.is_valid():
        try:
            do_withdraw_closure(closure, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已撤銷停班停課紀錄，受影響之期限已重新計算。"))
    else:
        messages.error(request, _("撤銷須說明理由。"))
    return redirect("closures:list")
