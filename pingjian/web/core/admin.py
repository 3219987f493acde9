"""The Django admin's titles. The admin holds only the few settings kept as data (the program
offices' letterheads, programs/admin.py); everything else has its own audited pages."""

from __future__ import annotations

from django.contrib import admin

admin.site.site_header = "評鑑 pingjian 管理介面"
admin.site.site_title = "評鑑 pingjian 管理介面"
admin.site.index_title = "設定資料"
