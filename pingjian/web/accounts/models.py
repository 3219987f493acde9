"""Users and their role memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

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
