from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DraftForm(forms.Form):
    source = forms.CharField(
        label=_("計畫內容（YAML）"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false", "class": "code"}),
        help_text=_("以與計畫檔相同之結構描述驗證；錯誤訊息標示檔內路徑，例如 items[A1.1].max_points。"),
    )
    reason = forms.CharField(label=_("修改說明"), max_length=300, required=False)


class PublishForm(forms.Form):
    reason = forms.CharField(label=_("公告說明"), max_length=300)
