from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.core.discovery import domain_modules
from pingjian.web.core.forms import ReasonField
from pingjian.web.core.institution_codes import normalise_code

from .models import Membership, TokenScope, User
from .roles import Role


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("帳號、姓名或電子郵件"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *Role.choices])
    inactive = forms.BooleanField(label=_("包含已停用帳號"), required=False)


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("帳號"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("登入用，英數字與 @ . + - _"),
    )  # fmt: skip
    display_name = forms.CharField(label=_("顯示名稱"), max_length=100, help_text=_("例如：王小明"))
    email = forms.EmailField(label=_("電子郵件"), required=False)
    password = forms.CharField(
        label=_("初始密碼"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("留空則帳號暫不能以密碼登入"),
    )  # fmt: skip
    reason = ReasonField(required=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("帳號 %(username)s 已有人使用") % {"username": username})
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("username"):
            candidate = User(username=data["username"], display_name=data.get("display_name", ""))
            try:
                validate_password(data["password"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


def _institutions() -> Any:
    """The institutions a membership may name, through the membership's own relation (the
    institutions app sits above this one)."""
    return Membership._meta.get_field("institution").related_model._default_manager.all()


class MembershipGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    institution_code = forms.CharField(
        label=_("機構（醫事機構代碼）"), required=False, max_length=20,
        help_text=_("角色為機構使用者時必填"),
    )  # fmt: skip
    county = forms.ChoiceField(
        label=_("縣市"), required=False, choices=[("", "—"), *County.choices],
        help_text=_("角色為衛生局承辦人時必填"),
    )  # fmt: skip
    reason = ReasonField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        data["institution"] = None
        if role == Role.INSTITUTION:
            code = normalise_code(data.get("institution_code") or "")
            if not code:
                self.add_error("institution_code", _("機構使用者須指定機構"))
            else:
                data["institution"] = _institutions().filter(code=code).first()
                if data["institution"] is None:
                    self.add_error("institution_code", _("查無醫事機構代碼 %(code)s") % {"code": code})
        if role == Role.BUREAU and not data.get("county"):
            self.add_error("county", _("衛生局承辦人須指定縣市"))
        if role and not self.errors:
            same = Membership.objects.active().filter(user=self.user, role=role)
            if role == Role.INSTITUTION:
                same = same.filter(institution=data["institution"])
            if role == Role.BUREAU:
                same = same.filter(county=data["county"])
            if same.exists():
                raise forms.ValidationError(_("此使用者已有相同的角色"))
        return data


class ReasonForm(forms.Form):
    reason = ReasonField()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset by e-mail, never for a demo account (its password is shared and published)."""

    email = forms.EmailField(
        label=_("電子郵件"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if not user.is_demo)


class OtpTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("驗證碼"), regex=r"^\s*\d{6}\s*$", max_length=10,
        error_messages={"invalid": _("請輸入驗證器 App 顯示的 6 位數字")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


def _api_apps() -> list[tuple[str, str]]:
    return [(app, app) for app, module in domain_modules("api") if getattr(module, "router", None)]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("名稱"), max_length=100, help_text=_("例如：院內資訊系統同步"))
    scope = forms.ChoiceField(label=_("權限範圍"), choices=TokenScope.choices, initial=TokenScope.READ)
    apps = forms.MultipleChoiceField(
        label=_("限用之 API"), required=False, choices=_api_apps, widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾選表示全部"),
    )  # fmt: skip
