"""A supplement letter is rendered once, in the background job its request queues, and then
served from the stored copy (issue 17, item 2); a letter whose content changed is rendered anew."""

from __future__ import annotations

from django.core import mail

from pingjian.web.documents.models import StoredLetter
from pingjian.web.notifications.models import Notification
from tests.web.support import client_for, run_jobs


def test_the_request_queues_one_background_render_and_the_emails_and_download_use_its_copy(requested, office):
    assert not StoredLetter.objects.exists()
    results = run_jobs()
    assert any(r.task_path.endswith("prepare_attachment") for r in results)
    (kept,) = StoredLetter.objects.all()
    assert kept.request.name == "request_supplement" and bytes(kept.pdf).startswith(b"%PDF")
    (message,) = [m for m in mail.outbox if "通知補件" in m.subject]
    assert message.attachments[0][1] == bytes(kept.pdf)  # the e-mail carried the stored copy
    response = client_for(office).get(f"/documents/applications/{requested.pk}/supplement-letter.pdf")
    assert response["X-Document-Source"] == "stored"
    assert response.content == bytes(kept.pdf)
    assert StoredLetter.objects.count() == 1


def test_a_download_before_the_job_renders_once_and_the_next_is_served_stored(requested, office):
    client = client_for(office)
    url = f"/documents/applications/{requested.pk}/supplement-letter.pdf"
    first, second = client.get(url), client.get(url)
    assert (first["X-Document-Source"], second["X-Document-Source"]) == ("rendered", "stored")
    assert first.content == second.content
    run_jobs()
    assert StoredLetter.objects.count() == 1  # the job found it made


def test_a_letter_whose_content_changed_is_rendered_anew(requested, office):
    client = client_for(office)
    url = f"/documents/applications/{requested.pk}/supplement-letter.pdf"
    before = client.get(url)
    requested.institution.__class__.objects.filter(pk=requested.institution_id).update(
        name="晶漾美學診所（新址）"
    )
    after = client.get(url)
    assert after["X-Document-Source"] == "rendered"
    assert before.content != after.content
    assert StoredLetter.objects.count() == 2
    assert Notification.objects.filter(attachment="supplement_letter").exists()
