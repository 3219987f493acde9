"""The one choke point for object lookups: outsiders get 404, never another tenant's data.

Every model that users reach by URL has a manager with `visible_to(user)` (its queryset scope, kept
next to its `rules` predicate in the app's permissions.py). Views and API endpoints fetch objects
only through `get_object_for_user`, which

1. looks the object up inside `Model.objects.visible_to(user)` and answers 404 when it is not there
   (so an object outside the user's scope is indistinguishable from one that does not exist), then
2. checks the action's permission with `user.has_perm(perm, obj)` and answers 403 when the user may
   see the object but not do this to it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_object_for_user(model: type[M], user: Any, *, perm: str | None = None, **lookup: Any) -> M:
    view_perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
    try:
        obj = model.objects.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"{model._meta.verbose_name} not found") from None
    if not user.has_perm(view_perm, obj):
        # The scope and the predicate disagree: fail closed (the permission-matrix test catches this).
        raise Http404(f"{model._meta.verbose_name} not found")
    if perm is not None and perm != view_perm and not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
    return obj


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """A model-level (or object-level) permission check for views that create or import things."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
