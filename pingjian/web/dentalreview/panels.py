from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_nhi_reviewer

NAV_EXTENSIONS = [(_("牙醫輔導積分"), "dentalreview:runs", is_nhi_reviewer)]
