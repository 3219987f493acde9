from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_office_staff

NAV_EXTENSIONS = [(_("評鑑計畫"), "programs:list", is_office_staff)]
