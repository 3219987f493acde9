from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.core.forms import RocDateField
from pingjian.web.core.text import MESSAGE_MAX_LENGTH
from pingjian.web.institutions.models import InstitutionType

from .models import EntryStatus, FollowUpKind, FollowUpOutcome, RegistryEntry


class RegistrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("機構名稱或代碼"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip
    type = forms.ChoiceField(
        label=_("機構類型"), required=False, choices=[("", _("全部")), *InstitutionType.choices]
    )
    county = forms.ChoiceField(label=_("縣市"), required=False, choices=[("", _("全部")), *County.choices])
    program = forms.ChoiceField(label=_("評鑑計畫"), required=False)
    result = forms.ChoiceField(label=_("評鑑結果"), required=False)
    status = forms.ChoiceField(
        label=_("狀態"), required=False, choices=[("", _("全部")), *EntryStatus.choices]
    )
    valid_on = RocDateField(
        label=_("於此日有效"), required=False, help_text=_("民國日期，如 113/01/01；空白為今日有效者")
    )
    include_expired = forms.BooleanField(label=_("包含已過期、撤銷或廢止"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = RegistryEntry.objects.visible_to(None)
        programs = published.order_by("program_title").values_list("program_id", "program_title").distinct()
        self.fields["program"].choices = [("", _("全部")), *programs]
        results = published.order_by("result").values_list("result", flat=True).distinct()
        self.fields["result"].choices = [("", _("全部")), *((r, r) for r in results)]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("證書驗證碼"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("處分"))
    reason = forms.CharField(
        label=_("理由"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("法令依據"), max_length=300)
    effective_on = RocDateField(label=_("生效日"))

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, EntryStatus(s).label) for s in statuses]


class AbolitionReportForm(forms.Form):
    grounds = forms.CharField(
        label=_("違規事實"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("違反護理機構設置標準或其他法令規定、情節重大或經限期改善而屆期未改善之事實"),
    )  # fmt: skip


class FollowUpPlanForm(forms.Form):
    day = RocDateField(label=_("追蹤日期"), help_text=_("須在合格效期內；民國日期，如 115/03/02"))
    kind = forms.ChoiceField(label=_("追蹤方式"), choices=FollowUpKind.choices)


class FollowUpOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("追蹤結果"), choices=[c for c in FollowUpOutcome.choices if c[0] != FollowUpOutcome.PLANNED]
    )
    findings = forms.CharField(
        label=_("追蹤發現"), required=False, max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("限期改善或不符合者必填"),
    )  # fmt: skip
    improve_by = RocDateField(
        label=_("改善期限"), required=False, help_text=_("限期改善者必填：追蹤日期之後、合格效期內")
    )
