from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .counties import County
from .models import InstitutionType


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
