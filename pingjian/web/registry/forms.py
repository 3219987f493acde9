from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.institutions.models import InstitutionType

from .models import RegistryEntry


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
    include_expired = forms.BooleanField(label=_("包含已過期、撤銷或廢止"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = (
            RegistryEntry.objects.visible_to(None)
            .order_by("program_title")
            .values_list("program_id", "program_title")
            .distinct()
        )
        self.fields["program"].choices = [("", _("全部")), *programs]
