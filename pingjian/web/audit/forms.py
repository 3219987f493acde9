from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.forms import RocDateField

from .display import event_label


class AuditFilterForm(forms.Form):
    subject = forms.CharField(
        label=_("對象"), required=False, max_length=300,
        help_text=_("名稱、代碼，或「類型:編號」如 institutions.institution:12"),
    )  # fmt: skip
    actor = forms.CharField(label=_("操作者"), required=False, max_length=150)
    event_type = forms.ChoiceField(label=_("事件類型"), required=False)
    since = RocDateField(label=_("起日"), required=False)
    until = RocDateField(label=_("迄日"), required=False)

    def __init__(self, *args: Any, event_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = [
            ("", _("全部")),
            *[(t, event_label(t)) for t in event_types],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since: dt.date | None = data.get("since")
        until: dt.date | None = data.get("until")
        if since and until and since > until:
            self.add_error("until", _("迄日不能早於起日"))
        return data
