"""Free text is bounded (issue 17, item 1): every message, comment, reply, note and reason has a
maximum length, stated once here and used by the model field (`max_length`, which the forms and
the admin take up), the API schema (`Field(max_length=…)`) and the action that stores it
(`bounded_text`), so a page, the API and a script are refused alike, with a message naming the
field and both lengths. Before the bound a 1,000,000-character supplement message was stored and
its letter took 276 s to render.

The lengths are characters (Python `len`), generous for what each field is for:

- `REASON_MAX_LENGTH` (1,000): the why of a change (事由), one short paragraph (as `ReasonField`);
- `MESSAGE_MAX_LENGTH` (4,000): a transition message such as a supplement request's list of what
  is missing, a reviewer's comment, a note: about two printed pages of Chinese;
- `STATEMENT_MAX_LENGTH` (20,000): the institution's survey reply and the bureau's findings, and
  a closure announcement, which may quote a document at length.

NUL is refused too: PostgreSQL cannot store it in text (a 500 there, silently kept on SQLite).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .error_codes import CoreErrorCode

REASON_MAX_LENGTH = 1_000
MESSAGE_MAX_LENGTH = 4_000
STATEMENT_MAX_LENGTH = 20_000


def bounded_text(value: str | None, *, max_length: int, label: str) -> str:
    """VALUE stripped, or a ValidationError naming LABEL when it is longer than MAX_LENGTH
    characters or carries a NUL."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(
            _("「%(label)s」含有不允許的控制字元（NUL）。") % {"label": label},
            code=CoreErrorCode.CONTROL_CHARACTER,
        )
    if len(text) > max_length:
        raise ValidationError(
            _("「%(label)s」最多 %(max)s 字，目前 %(length)s 字；請精簡後再送出。")
            % {"label": label, "max": f"{max_length:,}", "length": f"{len(text):,}"},
            code=CoreErrorCode.TEXT_TOO_LONG,
        )
    return text
