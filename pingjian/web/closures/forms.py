from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.core.forms import ReasonField, RocDateField
from pingjian.web.core.text import STATEMENT_MAX_LENGTH


class ClosureForm(forms.Form):
    day = RocDateField(label=_("日期"))
    county = forms.ChoiceField(label=_("縣市"), choices=County.choices)
    closed_for_work = forms.BooleanField(
        label=_("停止上班（僅停課者請取消勾選）"), required=False, initial=True
    )
    source = forms.CharField(
        label=_("公告來源"),
        max_length=200,
        help_text=_("例：行政院人事行政總處「天然災害停止上班及上課情形」"),
    )
    announcement = forms.CharField(
        label=_("公告內容"),
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = ReasonField(label=_("撤銷理由"))
