from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rules import is_authenticated

NAV_EXTENSIONS = [
    (_("評鑑梯次"), "cycles:list", is_authenticated),
    (_("申請案"), "applications:list", is_authenticated),
]
