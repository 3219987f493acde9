from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.core.forms import ReasonField, RocDateField
from pingjian.web.core.institution_codes import code_problem, normalise_code

from .models import Institution, InstitutionType


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("機構 CSV 檔"),
        help_text=_("UTF-8 或 Big5 編碼；第一列為欄位名稱。任何一列有錯即不匯入。"),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        file = self.cleaned_data["file"]
        if file.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("檔案超過 5 MB"))
        return file


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("名稱或代碼"), required=False)
    county = forms.ChoiceField(label=_("縣市"), required=False, choices=[("", _("全部")), *County.choices])
    type = forms.ChoiceField(
        label=_("機構類型"),
        required=False,
        choices=[("", _("全部")), *InstitutionType.choices],
    )


class InstitutionForm(forms.Form):
    """Create or edit an institution's registered facts; the audit reason goes with it."""

    code = forms.CharField(label=_("醫事機構代碼"), max_length=20, help_text=_("10 碼，例如 0190000001"))
    name = forms.CharField(label=_("機構名稱"), max_length=200)
    name_en = forms.CharField(label=_("英文名稱"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("機構類型"), choices=InstitutionType.choices)
    county = forms.ChoiceField(label=_("縣市"), choices=County.choices)
    district = forms.CharField(label=_("鄉鎮市區"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=300)
    phone = forms.CharField(label=_("電話"), max_length=30, required=False)
    capacity = forms.IntegerField(label=_("床數／服務量"), min_value=0, max_value=100000, required=False)
    opened_on = RocDateField(label=_("開業日期"), required=False)
    reason = ReasonField(required=False)

    def __init__(self, *args: Any, instance: Institution | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {name: getattr(instance, name) for name in self.base_fields if name != "reason"}
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            # The code identifies the institution (and its URL); a new code is a new registration.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("醫事機構代碼不可修改；新的代碼請新增機構")
            self.fields["reason"].required = True

    def clean_code(self) -> str:
        if self.instance is not None:
            return self.instance.code
        code = normalise_code(self.cleaned_data["code"])
        problem = code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        if Institution.objects.filter(code=code).exists():
            raise forms.ValidationError(_("醫事機構代碼 %(code)s 已存在") % {"code": code})
        return code

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FORM_FIELDS}


EDITABLE_FORM_FIELDS = (
    "name", "name_en", "type", "county", "district", "address", "phone", "capacity", "opened_on",
)  # fmt: skip


class OwnerChangeForm(forms.Form):
    owner_name = forms.CharField(label=_("新任負責人"), max_length=100)
    started_on = RocDateField(label=_("新任起始日期"), help_text=_("前任負責人的任期於前一日結束"))
    reason = ReasonField()


class StatusChange(models.TextChoices):
    SUSPEND = "suspend", _("停業")
    REOPEN = "reopen", _("復業")
    CLOSE = "close", _("歇業")


class StatusChangeForm(forms.Form):
    change = forms.ChoiceField(label=_("異動"), choices=StatusChange.choices)
    on = RocDateField(label=_("日期"))
    reason = ReasonField()

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = allowed_status_changes(institution)
        self.fields["change"].choices = [(v, label) for v, label in StatusChange.choices if v in allowed]


def allowed_status_changes(institution: Institution) -> list[str]:
    if institution.closed_on is not None:
        return []
    if institution.suspended_on is not None and institution.reopened_on is None:
        return [StatusChange.REOPEN, StatusChange.CLOSE]
    return [StatusChange.SUSPEND, StatusChange.CLOSE]
