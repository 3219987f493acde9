"""The roles people hold in pingjian. A user holds one or more roles through `Membership` rows;
the role decides what they may do, the membership's institution or county decides where."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("評鑑辦公室人員")  # program office staff (JCT, MOHW or a contracted office)
    PROGRAM_ADMIN = "program_admin", _("計畫管理者")  # defines and versions programs
    INSTITUTION = "institution", _("機構使用者")  # staff of one institution
    SURVEYOR = "surveyor", _("評鑑委員")  # 評鑑委員 / 認證委員
    BUREAU = "bureau", _("衛生局承辦人")  # local health bureau officer, one county
    NHI = "nhi", _("健保署牙醫審查人員")  # NHI dental review branch


# Roles that see every institution (the program office runs the evaluations).
OFFICE_ROLES = frozenset({Role.OFFICE, Role.PROGRAM_ADMIN})
