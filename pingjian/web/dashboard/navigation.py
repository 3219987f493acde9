"""The navigation bar, per role. Apps added later extend it through `NAV_EXTENSIONS` in their
`panels.py` (a list of (label, url name, predicate) tuples)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from pingjian.web.accounts.permissions import is_office_staff, roles_of
from pingjian.web.core.discovery import domain_modules


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: Any) -> list[NavItem]:
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    entries: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        entries.append((_("工作台"), "dashboard:home"))
        if is_office_staff(user) or roles_of(user):
            entries.append((_("機構"), "institutions:list"))
        if user.has_perm("institutions.import_institutions"):
            entries.append((_("匯入機構"), "institutions:import"))
        if user.has_perm("visits.view_own_surveyor_page"):
            entries.append((_("我的評鑑"), "visits:mine"))
        if user.has_perm("visits.manage_surveyors"):
            entries.append((_("評鑑委員"), "visits:surveyor_list"))
        if user.has_perm("accounts.view_user"):
            entries.append((_("使用者與角色"), "accounts:user_list"))
        if is_office_staff(user):
            entries.append((_("統計圖表"), "dashboard:charts"))
        if user.has_perm("audit.view_auditevent"):
            entries.append((_("稽核軌跡"), "audit:list"))
        for _app, module in domain_modules("panels"):
            for label, url_name, predicate in getattr(module, "NAV_EXTENSIONS", []):
                if predicate(user):
                    entries.append((label, url_name))
    entries.append((_("評鑑結果查詢"), "registry:search"))
    items = []
    for label, url_name in entries:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        active = path == url or (url != "/" and path.startswith(url) and url_name != "dashboard:home")
        items.append(NavItem(label, url, active))
    return items
