"""Users and their role memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County

from .roles import Role


class PingjianUserManager(UserManager):
    def visible_to(self, user: Any) -> models.QuerySet:
        """The accounts `user` may look up (accounts.view_user): the program office's, all of them."""
        from .permissions import visible_users

        return visible_users(self.get_queryset(), user)


class User(AbstractUser):
    """A person who signs in. `display_name` is what the interface shows (e.g. 王小明)."""

    display_name = models.CharField("顯示名稱", max_length=100, blank=True)
    is_demo = models.BooleanField(
        "示範帳號", default=False, help_text="Demo accounts may sign in only when the site runs in demo mode."
    )

    objects = PingjianUserManager()

    class Meta:
        verbose_name = "使用者"
        verbose_name_plural = "使用者"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user: Any) -> MembershipQuerySet:
        from .permissions import visible_users

        return self.filter(user__in=visible_users(User.objects.all(), user))


class Membership(models.Model):
    """One role a user holds, with where it applies: an institution (institution users), a county
    (health bureau officers) or everywhere (office, program administrators, surveyors, NHI)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="機構",
    )
    county = models.CharField("縣市", max_length=3, choices=County.choices, blank=True)
    granted_at = models.DateTimeField("授予時間", auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField("撤銷時間", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "角色成員"
        verbose_name_plural = "角色成員"
        constraints = (
            models.CheckConstraint(
                name="membership_institution_role_has_institution",
                condition=~Q(role=Role.INSTITUTION) | Q(institution__isnull=False),
            ),
            models.CheckConstraint(
                name="membership_bureau_role_has_county",
                condition=~Q(role=Role.BUREAU) | ~Q(county=""),
            ),
        )
        indexes = (models.Index(fields=["user", "role"]),)

    def __str__(self) -> str:
        where = self.institution or self.get_county_display() or ""
        return f"{self.user} · {self.get_role_display()} {where}".strip()


class TokenScope(models.TextChoices):
    READ = "read", _("唯讀")
    WRITE = "write", _("讀寫")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A machine client's key to the JSON API, acting as its user with that user's permissions.
    Only the SHA-256 of the secret is stored (the secret is shown once, at creation); `prefix` lets
    a person tell their tokens apart. A read token is refused on writes; `apps` (blank: all)
    limits it to some /api/<app>/ routers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名稱", max_length=100)
    prefix = models.CharField("識別字首", max_length=12, unique=True)
    secret_hash = models.CharField("密鑰雜湊 (SHA-256)", max_length=64, unique=True)
    scope = models.CharField("權限範圍", max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    apps = models.CharField("限用之 API", max_length=300, blank=True, help_text="以逗號分隔；空白表示全部")
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    last_used_at = models.DateTimeField("最後使用時間", null=True, blank=True)
    revoked_at = models.DateTimeField("撤銷時間", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 存取權杖"
        verbose_name_plural = "API 存取權杖"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def app_list(self) -> list[str]:
        return [a.strip() for a in self.apps.split(",") if a.strip()]


class IdempotentRequest(models.Model):
    """The first answer to an API POST sent with an `Idempotency-Key`: the same key from the same
    user is answered with it again instead of doing the work twice (a resent submission). While
    the first is still running, `status` is null and a repeat is told so (409)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key"),)
