from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import (
    do_create_user,
    do_deactivate_user,
    do_grant_membership,
    do_reactivate_user,
    do_revoke_membership,
)
from .demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from .forms import MembershipGrantForm, PasswordResetForm, ReasonForm, UserCreateForm, UserFilterForm
from .models import Membership, User


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; a demo account's password is shared and stays as published."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.user.is_demo:
            messages.info(request, _("示範帳號之密碼由大家共用，不能變更。"))
            return redirect("dashboard:home")
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail: the same answer whether or not the address is known."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class LoginView(auth_views.LoginView):
    """Django's login, listing the demo accounts when (and only when) the site runs in demo mode."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO:
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


# --- users and memberships: the program office's pages ----------------------------------------------


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accounts.view_user")
    form = UserFilterForm(request.GET or None)
    users = User.objects.visible_to(request.user)
    show_inactive = False
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            users = users.filter(
                Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q)
            )
        if data["role"]:
            users = users.filter(memberships__role=data["role"], memberships__revoked_at__isnull=True)
        show_inactive = data["inactive"]
    if not show_inactive:
        users = users.filter(is_active=True)
    active_memberships = Prefetch(
        "memberships",
        queryset=Membership.objects.active().select_related("institution").order_by("role"),
        to_attr="active_memberships",
    )
    page = Paginator(users.distinct().order_by("username").prefetch_related(active_memberships), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accounts.add_user")
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = do_create_user(
            username=data["username"], password=data["password"] or None, display_name=data["display_name"],
            email=data["email"], actor=request.user, reason=data["reason"],
        )  # fmt: skip
        messages.success(request, _("已新增帳號 %(username)s，請授予角色") % {"username": user.username})
        return redirect("accounts:user_detail", user.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/user_form.html", {"form": form}, status=status)


def _user_page(request: HttpRequest, subject: User, *, grant_form=None, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    memberships = subject.memberships.select_related("institution", "granted_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-granted_at"
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "memberships": memberships,
            "grant_form": grant_form or MembershipGrantForm(user=subject),
            "reason_form": ReasonForm(),
            "can_change": request.user.has_perm("accounts.change_user", subject),
            "is_self": subject.pk == request.user.pk,
            "events": AuditEvent.objects.visible_to(request.user).for_subject(subject).order_by("-seq")[:20],
        },
        status=status,
    )


@login_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user(User, request.user, pk=pk)
    return _user_page(request, subject)


@login_required
@require_POST
def membership_grant(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user(User, request.user, perm="accounts.change_user", pk=pk)
    require_perm(request.user, "accounts.add_membership")
    form = MembershipGrantForm(request.POST, user=subject)
    if form.is_valid():
        data = form.cleaned_data
        membership = do_grant_membership(
            subject, role=data["role"], institution=data["institution"], county=data.get("county") or "",
            actor=request.user, reason=data["reason"],
        )  # fmt: skip
        messages.success(request, _("已授予角色：%(membership)s") % {"membership": membership})
        return redirect("accounts:user_detail", subject.pk)
    return _user_page(request, subject, grant_form=form, status=422)


@login_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_for_user(Membership, request.user, perm="accounts.change_membership", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤銷角色須填寫事由"))
        return redirect("accounts:user_detail", membership.user_id)
    do_revoke_membership(membership, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("已撤銷角色：%(membership)s") % {"membership": membership})
    return redirect("accounts:user_detail", membership.user_id)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    subject = get_object_for_user(User, request.user, perm="accounts.change_user", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("停用或恢復帳號須填寫事由"))
        return redirect("accounts:user_detail", subject.pk)
    try:
        if active:
            do_reactivate_user(subject, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("帳號已恢復"))
        else:
            do_deactivate_user(subject, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("帳號已停用"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:user_detail", subject.pk)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)
