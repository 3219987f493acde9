"""Documents that e-mails carry. A notification names one by kind and reference
(`Notification.attachment`, `attachment_ref`); the e-mail job generates it when it sends, like a
download: never stored, always the official zh-Hant text.

The kinds are named here; the app that makes a document renders it: its `attachments.py` has
`RENDERERS = {kind: render(ref) -> (file name, content, MIME type)}`, found by discovery (so this
app, which every app may notify through, imports none of them).

- ``supplement_letter``: the 補件通知函 of one supplement request, the reference being the id of
  that request's `ApplicationTransition` — so the letter is that request's (its 發文字號, date,
  items and deadline), even if the office asks again before the e-mail goes out.
- ``result_letter``: the 評鑑結果通知函 of a decision, the reference being the id of the `decide`
  transition (issue 14).
"""

from __future__ import annotations

from django.db import models

from pingjian.web.core.discovery import domain_modules


class AttachmentKind(models.TextChoices):
    SUPPLEMENT_LETTER = "supplement_letter", "補件通知函"
    RESULT_LETTER = "result_letter", "評鑑結果通知函"


def render_attachment(kind: str, ref: int | None) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the document KIND with reference REF."""
    for _app, module in domain_modules("attachments"):
        render = getattr(module, "RENDERERS", {}).get(kind)
        if render is not None:
            return render(ref)  # type: ignore[no-any-return]
    raise ValueError(f"unknown attachment kind {kind!r}")
