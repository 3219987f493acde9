from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.forms import RocDateField
from pingjian.web.programs.models import ProgramVersion

from .models import CycleMode


class CycleForm(forms.Form):
    program_version = forms.ModelChoiceField(
        label=_("計畫版本"), queryset=ProgramVersion.objects.published().exclude(kind="dental")
    )
    title = forms.CharField(label=_("梯次名稱"), max_length=200)
    mode = forms.ChoiceField(label=_("辦理方式"), choices=CycleMode.choices)
    application_opens = RocDateField(label=_("申請起日"), required=False)
    application_closes = RocDateField(label=_("申請迄日"))
    visit_opens = RocDateField(label=_("實地訪查起日"))
    visit_closes = RocDateField(label=_("實地訪查迄日"))
    preliminary_review_due = RocDateField(label=_("衛生局初審期限"), required=False)
    remediation_due = RocDateField(label=_("消防及建築物安全限期改善期限"), required=False)
    fee_amount = forms.DecimalField(
        label=_("認證費用（新臺幣）"), required=False, min_value=0, decimal_places=0
    )
