"""The documents e-mails carry, rendered for notifications.attachments (found by discovery).

- ``supplement_letter``: the 補件通知函 of one supplement request, the reference being the id of
  that request's `ApplicationTransition`; rendered once and kept (stored.py), so the job that
  `notifications.tasks.prepare_attachment` queues when the request is made renders it in the
  background, and every e-mail and download after it is served the stored copy.
"""

from __future__ import annotations

from pingjian.web.applications.models import ApplicationTransition
from pingjian.web.notifications.attachments import AttachmentKind

from .render import render_pdf
from .result_letter import result_letter
from .stored import letter_pdf


def render_supplement_letter(ref: int | None) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the supplement request REF's letter."""
    request = ApplicationTransition.objects.select_related(
        "application__institution", "application__program_version", "application__cycle"
    ).get(pk=ref, name="request_supplement")
    letter = letter_pdf(request.application, request)
    return letter.filename, letter.pdf, "application/pdf"


def render_result_letter(ref: int | None) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the result letter of the decision REF (the id of the
    application's `decide` transition): rendered when the e-mail is sent."""
    decide = ApplicationTransition.objects.select_related("application").get(pk=ref, name="decide")
    letter = result_letter(decide.application)
    pdf, _seconds = render_pdf("documents/supplement_letter.html", {"letter": letter})
    return letter.filename, pdf, "application/pdf"


RENDERERS = {
    AttachmentKind.SUPPLEMENT_LETTER: render_supplement_letter,
    AttachmentKind.RESULT_LETTER: render_result_letter,
}
