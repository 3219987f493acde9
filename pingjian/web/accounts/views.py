from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.core.access import get_object_for_user, require_perm

from .actions import (
    do_confirm_totp_device,
    do_create_api_token,
    do_create_user,
    do_deactivate_user,
    do_grant_membership,
    do_reactivate_user,
    do_record_login,
    do_reset_two_factor,
    do_revoke_api_token,
    do_revoke_membership,
    do_start_totp_enrolment,
)
from .demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from .forms import (
    ApiTokenForm,
    MembershipGrantForm,
    OtpTokenForm,
    PasswordResetForm,
    ReasonForm,
    UserCreateForm,
    UserFilterForm,
)
from .models import ApiToken, Membership, User
from .twofactor import confirmed_device, is_verified


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
    """Django's login, listing the demo accounts when (and only when) the site runs in demo mode.
    Each attempt is a line of the log-in history (audited); django-axes counts the failures and
    locks a username out from an address after too many. Office, admin and bureau accounts go on
    to the second factor (the TwoFactorMiddleware sends them there)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        do_record_login(self.request, event_type=EventType.LOGIN_SUCCEEDED, user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(self.request.POST.get("username", ""))[:150]
        locked = getattr(self.request, "axes_locked_out", False)
        event_type = EventType.LOGIN_LOCKED_OUT if locked else EventType.LOGIN_FAILED
        if username.strip() and (locked or self.request.POST.get("password")):  # an attempt, not a blank form
            do_record_login(self.request, event_type=event_type, username=username)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO:
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            do_record_login(request, event_type=EventType.LOGGED_OUT, user=request.user)
        return super().post(request, *args, **kwargs)


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a page in words, 429. The attempt is
    already in the log-in history (LoginView.form_invalid)."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: a QR code (drawn here, inline SVG) and the key in letters; the
    first correct code confirms the device and verifies this session. An account that already has
    a device must verify with it before it may replace it."""
    if confirmed_device(request.user) and not is_verified(request.user):
        return redirect(f"{reverse('accounts:otp_verify')}?next={_next_url(request)}")
    device = do_start_totp_enrolment(request.user)
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            do_confirm_totp_device(device, request=request)
            otp_login(request, device)
            messages.success(request, _("雙重驗證已設定完成"))
            return redirect(_next_url(request))
        do_record_login(request, event_type=EventType.OTP_FAILED, user=request.user, detail="enrolment")
        form.add_error("token", _("驗證碼不正確，請確認手機時間正確後重新輸入"))
    context = {
        "form": form,
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)),
        "key_b32": b32encode(device.bin_key).decode().rstrip("="),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of log-in: the six-digit code from the authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_enrol')}?next={_next_url(request)}")
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            do_record_login(request, event_type=EventType.OTP_VERIFIED, user=request.user)
            return redirect(_next_url(request))
        do_record_login(request, event_type=EventType.OTP_FAILED, user=request.user)
        if allowed:
            form.add_error("token", _("驗證碼不正確"))
        else:
            form.add_error("token", _("錯誤次數過多，請稍候再試"))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/otp_verify.html", context, status=422 if form.errors else 200)


LOGIN_EVENTS = (
    EventType.LOGIN_SUCCEEDED, EventType.LOGIN_FAILED, EventType.LOGIN_LOCKED_OUT, EventType.LOGGED_OUT,
    EventType.OTP_ENROLLED, EventType.OTP_VERIFIED, EventType.OTP_FAILED,
)  # fmt: skip


@login_required
@require_GET
def login_history(request: HttpRequest) -> HttpResponse:
    """The log-in history: each person sees their own; the program office sees everyone's (and
    attempts on names that are no account)."""
    events = AuditEvent.objects.filter(event_type__in=LOGIN_EVENTS)
    sees_all = request.user.has_perm("audit.view_auditevent")
    if sees_all:
        username = request.GET.get("username", "").strip()[:150]
        if username:
            events = events.filter(after__username=username)
    else:
        username = ""
        events = events.filter(subject_type=User._meta.label_lower, subject_id=str(request.user.pk))
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/login_history.html", {"page": page, "sees_all": sees_all, "username": username}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: create one (its secret is shown this once), see when each was last
    used, revoke one."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, secret = do_create_api_token(
            request.user, name=data["name"], scope=data["scope"], apps=data["apps"], actor=request.user
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    context = {"form": form, "tokens": tokens, "secret": secret, "reason_form": ReasonForm()}
    return render(request, "accounts/api_tokens.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("已撤銷權杖 %(token)s") % {"token": token})
    return redirect("accounts:api_tokens")


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
            "has_two_factor": confirmed_device(subject) is not None,
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
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The office removes a person's TOTP device (a lost phone): they enrol again at next log-in."""
    subject = get_object_for_user(User, request.user, perm="accounts.change_user", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重設雙重驗證須填寫事由"))
        return redirect("accounts:user_detail", subject.pk)
    try:
        do_reset_two_factor(subject, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已重設雙重驗證，此帳號下次登入時須重新設定"))
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
