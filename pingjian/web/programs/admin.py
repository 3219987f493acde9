"""The admin of the program offices' letterheads (評鑑辦公室函稿資料): the one setting kept as data
that office staff edit in the Django admin (/admin/, for accounts with admin-site access). What
they may do there is decided by the rules predicates (programs.*_programoffice), not by Django's
permission tables; a save goes through the audited action; rows are never deleted (edit them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .actions import do_save_program_office, program_owners
from .models import ProgramOffice


class ProgramOfficeForm(forms.ModelForm):
    owner = forms.ChoiceField(label="主辦機關", help_text="計畫檔之主辦機關（owner）。")

    class Meta:
        model = ProgramOffice
        fields = ("owner", "unit", "address", "phone", "fax", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = program_owners()
        if self.instance.owner and self.instance.owner not in owners:
            owners.append(self.instance.owner)  # an owner whose programs were since replaced
        self.fields["owner"].choices = [(o, o) for o in owners]


@admin.register(ProgramOffice)
class ProgramOfficeAdmin(admin.ModelAdmin):
    form = ProgramOfficeForm
    list_display = ("owner", "unit", "address", "phone", "updated_at")
    search_fields = ("owner", "unit")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("programs.view_programoffice")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("programs.view_programoffice")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("programs.add_programoffice")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("programs.change_programoffice")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ProgramOffice, form: Any, change: bool) -> None:
        do_save_program_office(obj, actor=request.user, reason="管理介面修改函稿資料")
