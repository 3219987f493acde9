from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from .demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


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
