"""Documents that e-mails carry. A notification names one by kind and reference
(`dashboard.models.Notification.attachment`, `attachment_ref`); the e-mail job generates it when it
sends (dashboard.tasks), like a download: never stored, always the official zh-Hant text.

- ``supplement_letter``: the 補件通知函 of one supplement request, the reference being the id of
  that request's `ApplicationTransition` — so the letter is that request's (its 發文字號, date,
  items and deadline), even if the office asks again before the e-mail goes out.
"""

from __future__ import annotations

SUPPLEMENT_LETTER = "supplement_letter"


def render_attachment(kind: str, ref: int | None) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the document KIND with reference REF."""
    from pingjian.web.applications.models import ApplicationTransition

    from .content import supplement_letter
    from .render import render_pdf

    if kind == SUPPLEMENT_LETTER:
        request = ApplicationTransition.objects.select_related(
            "application__institution", "application__program_version", "application__cycle"
        ).get(pk=ref, name="request_supplement")
        letter = supplement_letter(request.application, request)
        pdf, _seconds = render_pdf("documents/supplement_letter.html", {"letter": letter})
        return letter.filename, pdf, "application/pdf"
    raise ValueError(f"unknown attachment kind {kind!r}")
