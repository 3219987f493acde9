from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.text import bounded_text

MAX_UPLOAD_FILES = 8


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(_("檔案過多：至多 8 個。"))
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class RunForm(forms.Form):
    quarter = forms.CharField(label=_("季別"), max_length=8, help_text=_("例如 113Q4 或 2024Q4"))
    files = MultipleFileField(
        label=_("上傳申報資料"),
        required=False,
        help_text=_(
            "一個 zip 壓縮檔，或 claims、clinics、doctors、clinic_quarter 四個檔（.csv 或 .parquet）"
        ),
    )
    folder = forms.CharField(
        label=_("或：伺服器資料夾"),
        required=False,
        max_length=300,
        help_text=_("資料根目錄下之相對路徑"),
    )
    indicators = forms.FileField(
        label=_("或：指標表"),
        required=False,
        help_text=_(
            "已算好之指標表（每院所每季一行，.csv 或 .parquet，至多 20 MB），"
            "不經申報資料，逕依指標計分；院所頁無申報明細"
        ),
    )
    params = forms.CharField(
        label=_("參數調整"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一項：名稱=值（清單以逗號分隔），未填則用計畫之參數"),
    )

    def clean_params(self) -> str:
        return bounded_text(self.cleaned_data.get("params", ""), max_length=4000, label="參數調整")


class WhatIfForm(forms.Form):
    params = forms.CharField(
        label=_("變更之參數"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一項：名稱=值，例如 s1_high=500000"),
    )

    def clean_params(self) -> str:
        return bounded_text(self.cleaned_data.get("params", ""), max_length=4000, label="變更之參數")
