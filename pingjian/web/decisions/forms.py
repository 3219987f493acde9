from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.forms import RocDateField


class MeetingForm(forms.Form):
    cycle = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("會議名稱"), max_length=200)
    held_on = RocDateField(label=_("會議日期"))
