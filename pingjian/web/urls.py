"""URLs: the roof's landing and dashboard at /, each domain app with a `urls.py` at /<app>/, the
API at /api/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from pingjian.web.api import api
from pingjian.web.core.discovery import domain_modules

urlpatterns = [
    path("", include("pingjian.web.core.urls")),
    path("", include("pingjian.web.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
urlpatterns += [
    path(f"{app}/", include(module))
    for app, module in domain_modules("urls")
    if app not in ("core", "dashboard")
]
