"""Issue 16 item 6 (idempotent submissions), kept bounded: an `Idempotency-Key` is honoured for
settings.IDEMPOTENCY_RETENTION (24 h) and its record purged after it, by the hourly job that
`pingjian worker` schedules and by `pingjian manage purge_idempotency_keys`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pingjian.web.accounts import tasks
from pingjian.web.accounts.models import IdempotentRequest
from tests.web.support import client_for, run_jobs

from .test_api_tokens import submit

HOUR = dt.timedelta(hours=1)


def aged(record: IdempotentRequest, age: dt.timedelta) -> None:
    IdempotentRequest.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)


def test_the_retention_is_a_day(db):
    assert dt.timedelta(hours=24) == settings.IDEMPOTENCY_RETENTION


def test_the_purge_deletes_records_past_their_retention_and_keeps_fresh_ones(institution_user):
    old = IdempotentRequest.objects.create(user=institution_user, key="old", fingerprint="f", status=200)
    edge = IdempotentRequest.objects.create(user=institution_user, key="edge", fingerprint="f", status=200)
    fresh = IdempotentRequest.objects.create(user=institution_user, key="fresh", fingerprint="f", status=200)
    aged(old, 25 * HOUR)
    aged(edge, 23 * HOUR)
    assert tasks.purge_idempotent_requests() == 1
    assert set(IdempotentRequest.objects.values_list("pk", flat=True)) == {edge.pk, fresh.pk}


def test_a_repeat_inside_the_window_is_still_replayed(ours, institution_user, application):
    client = client_for(institution_user)
    first = submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1")
    aged(IdempotentRequest.objects.get(), 23 * HOUR)
    tasks.purge_idempotent_requests()
    again = submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()


def test_a_key_past_its_retention_starts_afresh_even_before_the_purge(ours, institution_user, application):
    client = client_for(institution_user)
    assert submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1").status_code == 200
    aged(IdempotentRequest.objects.get(), 25 * HOUR)
    again = submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1")  # the old version: a stale write
    assert again.status_code == 409 and "Idempotent-Replayed" not in again
    assert IdempotentRequest.objects.get().status == 409  # the key now holds the new answer


def test_the_purge_job_runs_and_reschedules_itself_once(institution_user):
    old = IdempotentRequest.objects.create(user=institution_user, key="old", fingerprint="f", status=200)
    aged(old, 48 * HOUR)
    assert tasks.ensure_idempotency_purge_schedule() is not None
    assert tasks.ensure_idempotency_purge_schedule() is None  # one chain only
    DBTaskResult.objects.update(run_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    (done,) = run_jobs(max_rounds=1)
    assert done.status == "SUCCESSFUL" and done.return_value == {"deleted": 1}
    (following,) = DBTaskResult.objects.filter(status="READY")
    assert following.run_after > timezone.now() + 50 * dt.timedelta(minutes=1)


def test_the_command_purges_and_schedules(institution_user, capsys):
    aged(
        IdempotentRequest.objects.create(user=institution_user, key="k", fingerprint="f", status=200),
        30 * HOUR,
    )
    call_command("purge_idempotency_keys")
    assert "已清除1筆" in capsys.readouterr().out and not IdempotentRequest.objects.exists()
    call_command("purge_idempotency_keys", "--schedule")
    assert "已排定" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path=tasks.purge_idempotency_keys_job.module_path).count() == 1
