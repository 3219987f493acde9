from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_office_operator

NAV_EXTENSIONS = [(_("停班停課"), "closures:list", is_office_operator)]
