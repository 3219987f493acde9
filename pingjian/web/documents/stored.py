"""The supplement letter rendered once and served from `StoredLetter` (issue 17, item 2).

`letter_pdf(application, request)` renders the letter's HTML (milliseconds), keys it by content
and returns the stored PDF when there is one; otherwise it renders the PDF within the budgets of
render.py and keeps it. The e-mail of a supplement request queues a job that calls this through
`attachments.RENDERERS` right after the request is committed, so the first download normally finds
the letter made; a download that comes first renders it itself, once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pingjian.web.applications.models import Application, ApplicationTransition

from .content import supplement_letter, supplement_requests
from .models import StoredLetter
from .render import render_pdf

TEMPLATE = "documents/supplement_letter.html"
_KEY_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # the generation time, held still for the key


@dataclasses.dataclass(frozen=True)
class LetterPdf:
    filename: str
    pdf: bytes
    seconds: float  # the render's, when it was made
    stored: bool  # served from StoredLetter (True) or rendered by this call (False)


def letter_pdf(application: Application, request: ApplicationTransition | None = None) -> LetterPdf:
    letter = supplement_letter(application, request)
    request = request or supplement_requests(application)[-1]
    with translation.override("zh-hant"):
        html = render_to_string(TEMPLATE, {"letter": dataclasses.replace(letter, generated_at=_KEY_TIME)})
    key = hashlib.sha256(html.encode()).hexdigest()
    kept = (
        StoredLetter.objects.filter(request=request, content_key=key)
        .only("filename", "pdf", "seconds")
        .first()
    )
    if kept is not None:
        return LetterPdf(kept.filename, bytes(kept.pdf), kept.seconds, stored=True)
    letter.generated_at = timezone.now()
    pdf, seconds = render_pdf(TEMPLATE, {"letter": letter})
    try:
        with transaction.atomic():  # a concurrent render of the same content may have kept it first
            StoredLetter.objects.create(
                request=request, content_key=key, filename=letter.filename, pdf=pdf, seconds=seconds
            )
    except IntegrityError:
        pass
    return LetterPdf(letter.filename, pdf, seconds, stored=False)
