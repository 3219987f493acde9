"""The documents e-mails carry, rendered for notifications.attachments (found by discovery).

- ``supplement_letter``: the 補件通知函 of one supplement request, the reference being the id of
  that request's `ApplicationTransition`.
"""

from __future__ import annotations

from pingjian.web.applications.models import ApplicationTransition
from pingjian.web.notifications.attachments import AttachmentKind

from .content import supplement_letter
from .render import render_pdf


def render_supplement_letter(ref: int | None) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the supplement request REF's letter."""
    request = ApplicationTransition.objects.select_related(
        "application__institution", "application__program_version", "application__cycle"
    ).get(pk=ref, name="request_supplement")
    letter = supplement_letter(request.application, request)
    pdf, _seconds = render_pdf("documents/supplement_letter.html", {"letter": letter})
    return letter.filename, pdf, "application/pdf"


RENDERERS = {AttachmentKind.SUPPLEMENT_LETTER: render_supplement_letter}
