"""The office's what-if form (a finished cycle, its program's parameters changed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.rules.errors import ParameterError
from pingjian.rules.program_params import parse_assignments
from pingjian.web.core.text import bounded_text

PARAMS_MAX_LENGTH = 2_000


class CycleWhatIfForm(forms.Form):
    cycle = forms.TypedChoiceField(label=_("評鑑梯次"), coerce=int)
    params = forms.CharField(
        label=_("變更之計畫參數"),
        max_length=PARAMS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一項：名稱=值，例如 pass_threshold=75 或 grade_fractions.B=0.7"),
    )

    def __init__(self, *args: Any, cycles: list[tuple[Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(c.pk, f"{c.title}（{n}）") for c, n in cycles]

    def clean_params(self) -> dict[str, str]:
        text = bounded_text(
            self.cleaned_data.get("params", ""), max_length=PARAMS_MAX_LENGTH, label="變更之計畫參數"
        )
        try:
            changes = parse_assignments(text.splitlines())
        except ParameterError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not changes:
            raise forms.ValidationError(_("請至少變更一項參數。"))
        return changes
