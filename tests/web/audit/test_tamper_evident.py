"""Issue 17, item 5: an audit chain that whoever can write to the database cannot quietly rewrite.
Append-only enforced by the database, the head anchored outside it in signed checkpoints, and the
decided result bound to the event that set it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from pingjian.cli.web import audit as audit_cli
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.checkpoints import (
    AuditChainBrokenError,
    AuditKeyError,
    check_against_checkpoints,
    checkpoint_path,
    sign,
    write_checkpoint,
)
from pingjian.web.audit.events import EventType
from pingjian.web.audit.guard import missing_guard
from pingjian.web.audit.models import AuditChainHead, AuditEvent
from pingjian.web.audit.tasks import write_checkpoint_job
from pingjian.web.audit.verify import verify_all
from pingjian.web.institutions.actions import do_update_institution
from pingjian.web.registry.models import RegistryEntry
from tests.web.audit.tamper import guard_off, raw, rewrite_event
from tests.web.support import run_jobs

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigger")


@pytest.fixture
def decided(application, office):
    """A decided application (result fail, total 65.00). The steps before the score are not what
    these tests are about: they are taken in one audited step, then the decision is the real one."""
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=Decimal("65.00"))
        record_event(
            actor=office,
            event_type=EventType.APPLICATION_RECORD_SCORE,
            subject=application,
            after={"state": State.SCORED.value, "total": Decimal("65.00")},
        )
    application.refresh_from_db()
    return actions.do_decide_application(application, actor=office, result="fail")


def decide_event(application):
    return AuditEvent.objects.for_subject(application).get(event_type=EventType.APPLICATION_DECIDE)


def cli(*args):
    return CliRunner().invoke(audit_cli, list(args))


# --------------------------------------------------------------------------- the database refuses


@on_postgresql
def test_postgresql_refuses_to_update_or_delete_an_audit_event(decided):
    seq = decide_event(decided).seq
    for statement in (
        "UPDATE audit_auditevent SET reason = 'forged' WHERE seq = %s",
        "DELETE FROM audit_auditevent WHERE seq = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [seq])
    assert AuditEvent.objects.get(seq=seq).reason == ""
    assert verify_chain().ok


@on_sqlite
def test_sqlite_refuses_to_update_an_audit_event(decided):
    seq = decide_event(decided).seq
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = %s", [seq])
    assert verify_chain().ok


def test_verify_reports_the_append_only_trigger_switched_off(db):
    assert missing_guard() is None
    with guard_off():
        assert "append_only" in (missing_guard() or "")
        result = cli("verify")
    assert result.exit_code == 1 and "audit_event_append_only" in result.output
    assert missing_guard() is None


# --------------------------------------------------------------------------- signed checkpoints


def test_a_checkpoint_signs_the_head_into_a_file_and_only_when_the_head_moved(ours, office, audit_key):
    head = AuditChainHead.objects.get()
    written = write_checkpoint()
    assert written.new and (written.checkpoint.seq, written.checkpoint.hash) == (head.seq, head.hash)
    line = json.loads(checkpoint_path().read_text().splitlines()[0])
    assert line["seq"] == head.seq and len(line["sig"]) == 64
    assert audit_key.read_text().strip() not in checkpoint_path().read_text()
    assert not write_checkpoint().new  # nothing happened since: no second line
    do_update_institution(ours, phone="02-1234-5678", actor=office, reason="電話更正")
    assert write_checkpoint().new
    assert len(checkpoint_path().read_text().splitlines()) == 2
    report = check_against_checkpoints()
    assert report.ok and report.checked == 2


def test_cli_checkpoint_then_verify_passes_naming_the_checkpoint(decided):
    result = cli("checkpoint")
    assert result.exit_code == 0 and "checkpoint" in result.output, result.output
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "matches 1 checkpoint(s), the latest #" in result.output


def test_a_rewritten_decided_result_with_recomputed_hashes_fails_verify_against_the_last_checkpoint(
    decided, ours, office
):
    """The 20-line script of issue 17: the decision's event says pass instead of fail, every later
    hash and the head are recomputed, the business row agrees. The chain alone is fooled; the
    checkpoint signed outside the database is not."""
    do_update_institution(ours, phone="02-2700-0000", actor=office, reason="later event")
    write_checkpoint()
    last = AuditChainHead.objects.get().seq
    event = decide_event(decided)
    assert event.after["result"] == "fail"
    rewrite_event(event.seq, after={**event.after, "result": "pass"})
    Application.objects.filter(pk=decided.pk).update(result="pass")

    assert verify_chain().ok  # what the chain alone says: intact
    assert AuditChainHead.objects.get().seq == last
    result = cli("verify")
    assert result.exit_code == 1
    assert "rewritten" in result.output and f"#{last}" in result.output
    with pytest.raises(AuditChainBrokenError, match="rewritten"):
        write_checkpoint()  # and the rewritten chain is never signed
    assert len(checkpoint_path().read_text().splitlines()) == 1


def test_a_direct_edit_of_the_stored_result_fails_verify_naming_the_event_that_set_it(decided):
    write_checkpoint()
    Application.objects.filter(pk=decided.pk).update(result="pass")
    assert verify_chain().ok and check_against_checkpoints().ok  # no event was touched
    result = cli("verify")
    assert result.exit_code == 1
    assert "result is 'pass' in the database" in result.output
    assert f"audit event #{decide_event(decided).seq} set 'fail'" in result.output


def test_a_direct_edit_of_the_total_or_decision_day_fails_verify(decided):
    Application.objects.filter(pk=decided.pk).update(total=Decimal("85.00"), decided_on=dt.date(2020, 1, 1))
    problems = verify_all().problems()
    assert any("total is '85.00'" in p for p in problems)
    assert any("decided_on is '2020-01-01'" in p for p in problems)


def test_a_validity_no_event_ever_set_fails_verify(ours):
    RegistryEntry.objects.create(
        institution=ours, program_id="postpartum-111", program_title="產後護理之家評鑑",
        valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2026, 12, 31),
    )  # fmt: skip
    problems = verify_all().problems()
    assert any("valid_from is '2023-01-01'" in p and "no audit event set it" in p for p in problems)


def test_a_direct_edit_of_a_published_validity_fails_verify(ours, office):
    with transaction.atomic():
        entry = RegistryEntry.objects.create(
            institution=ours, program_id="postpartum-111", program_title="產後護理之家評鑑",
            valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2026, 12, 31),
        )  # fmt: skip
        record_event(
            actor=office, event_type=EventType.REGISTRY_PUBLISHED, subject=entry,
            after={"valid_from": entry.valid_from, "valid_until": entry.valid_until},
        )  # fmt: skip
    assert verify_all().ok
    RegistryEntry.objects.filter(pk=entry.pk).update(valid_until=dt.date(2030, 12, 31))
    assert any("valid_until is '2030-12-31'" in p for p in verify_all().problems())


def test_a_chain_cut_off_below_the_checkpoint_fails_verify(ours, office):
    do_update_institution(ours, phone="02-2700-0000", actor=office, reason="r")
    write_checkpoint()
    last = AuditChainHead.objects.get().seq
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    previous = AuditEvent.objects.get(seq=last - 1)
    AuditChainHead.objects.filter(pk=1).update(seq=last - 1, hash=previous.hash)
    assert verify_chain().ok
    report = verify_all()
    assert not report.ok and any(f"#{last}" in p and "cut off" in p for p in report.problems())


def test_a_forged_or_garbled_checkpoint_line_fails_verify(ours):
    write_checkpoint()
    head = AuditChainHead.objects.get()
    forged = sign(b"x" * 32, seq=head.seq, hash=head.hash, at=dt.datetime.now(dt.UTC))
    good = json.loads(checkpoint_path().read_text())
    with checkpoint_path().open("a") as handle:
        handle.write(json.dumps({**good, "sig": forged.signature}) + "\n")
        handle.write("not json\n")
    problems = verify_all().problems()
    assert any("forged" in p for p in problems) and any("line 3 is not a checkpoint" in p for p in problems)


def test_checkpoints_of_an_earlier_key_are_skipped_and_counted_after_a_rotation(ours, settings, tmp_path):
    write_checkpoint()
    settings.AUDIT_KEY = "a-new-key-after-rotation-0123456789abcdef"
    write_checkpoint()  # the head did not move, but under the new key there was no checkpoint yet
    report = check_against_checkpoints()
    assert report.ok and report.checked == 1 and report.other_keys == 1


def test_without_a_key_checkpoint_exits_2_naming_the_setting(ours, settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "absent.key"
    result = cli("checkpoint")
    assert result.exit_code == 2 and "PINGJIAN_AUDIT_KEY_FILE" in result.output
    settings.AUDIT_KEY = "short"
    with pytest.raises(AuditKeyError, match="shorter than 32 bytes"):
        write_checkpoint()
    assert not checkpoint_path().exists()


def test_outside_production_a_missing_key_file_is_generated_private(ours, settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "var" / "audit-checkpoint.key"
    settings.AUDIT_KEY_GENERATE = True
    write_checkpoint()
    assert settings.AUDIT_KEY_FILE.stat().st_mode & 0o777 == 0o600
    assert len(settings.AUDIT_KEY_FILE.read_text().strip()) == 64


def test_verify_with_checkpoints_but_no_key_fails(ours, settings, tmp_path):
    write_checkpoint()
    settings.AUDIT_KEY_FILE = tmp_path / "absent.key"
    assert any("holds checkpoints but no audit checkpoint key" in p for p in verify_all().problems())


def test_the_checkpoint_job_signs_the_head_and_reschedules_itself(ours, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    write_checkpoint_job.enqueue()
    finished = run_jobs(max_rounds=1)
    assert [job.status for job in finished] == ["SUCCESSFUL"]
    assert checkpoint_path().exists()
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=write_checkpoint_job.module_path, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > finished[0].finished_at


def test_the_demo_verifies_with_its_results_bound_to_their_events(db, settings):
    from pingjian.web.dashboard.demo import seed_demo

    settings.DEMO = True
    seed_demo()
    report = verify_all()
    assert report.ok, report.problems()
