"""The demo accounts (demo mode only): username → (role, display name). Password: pingjian-demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "pingjian-demo"

DEMO_ACCOUNTS = [
    ("office", "office", _("評鑑辦公室 陳怡君")),
    ("admin", "program_admin", _("計畫管理者 林志明")),
    ("institution", "institution", _("安心產後護理之家 王美玲")),
    ("clinic", "institution", _("診所 林雅婷（可申請開放中之認證梯次）")),
    ("surveyor", "surveyor", _("評鑑委員 張淑芬")),
    ("bureau", "bureau", _("臺北市政府衛生局 李建宏")),
    ("nhi", "nhi", _("健保署南區業務組 黃文彥")),
]
