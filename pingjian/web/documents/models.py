"""Letters rendered once and kept (issue 17, item 2)."""

from __future__ import annotations

from django.db import models

from pingjian.web.applications.models import ApplicationTransition


class StoredLetter(models.Model):
    """補件通知函 PDF of one supplement request, for one content: `content_key` is the SHA-256 of
    the letter's HTML with its generation time left out, so the same letter is rendered once (by
    the background job the request's notification queues, or by the first download) and served
    from here afterwards, while a letter whose content changed (a deadline moved by a typhoon
    closure, the letterhead edited) is a new content and is rendered anew.

    A derived copy, not a business record: it is written without an audit event and may be
    deleted at any time (the next download renders it again)."""

    request = models.ForeignKey(ApplicationTransition, on_delete=models.CASCADE, related_name="+")
    content_key = models.CharField("內容雜湊", max_length=64)
    filename = models.CharField("檔名", max_length=200)
    pdf = models.BinaryField("PDF")
    seconds = models.FloatField("產製秒數")  # a measurement of the render, not a score
    rendered_at = models.DateTimeField("產製時間", auto_now_add=True)

    class Meta:
        verbose_name = "已產製之補件通知函"
        verbose_name_plural = "已產製之補件通知函"
        constraints = (
            models.UniqueConstraint(fields=["request", "content_key"], name="one_letter_per_content"),
        )

    def __str__(self) -> str:
        return self.filename
