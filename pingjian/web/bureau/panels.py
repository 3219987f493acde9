from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import is_bureau_officer

NAV_EXTENSIONS = [(_("轄區受評機構"), "bureau:list", is_bureau_officer)]
