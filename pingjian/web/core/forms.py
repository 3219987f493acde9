"""Form fields shared by every app: dates are typed and shown in ROC (民國) form."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from pingjian.rules import roc
from pingjian.rules.errors import CalendarError

from .error_codes import CoreErrorCode


class RocDateInput(forms.TextInput):
    """A text input showing a date as 112/06/08 (a native date picker would show Gregorian)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"placeholder": "112/06/08", "autocomplete": "off", "size": 12, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return roc.roc_date(value)
        return super().format_value(value)


class RocDateField(forms.Field):
    """Reads 112/06/08, 112年6月8日, 1120608 or 2023-06-08 (pingjian.rules.roc.parse_date)."""

    widget = RocDateInput
    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": _("日期格式不正確，請輸入如 112/06/08 或 112年6月8日")
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return roc.parse_date(str(value))
        except CalendarError:
            raise forms.ValidationError(self.error_messages["invalid"], code=CoreErrorCode.INVALID) from None


class ReasonField(forms.CharField):
    """The why of every audited change (事由): required, one short paragraph."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("事由"))
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)
