from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection, transaction

import pingjian.web
from pingjian.cli.web import audit as audit_cli
from pingjian.web.audit.actions import AuditOutsideTransactionError, record_event
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AppendOnlyError, AuditEvent
from pingjian.web.institutions.actions import do_update_institution
from tests.web.audit.tamper import raw


@pytest.fixture
def chain(ours, theirs, office):
    do_update_institution(ours, phone="02-2700-0000", actor=office, reason="電話更正")
    do_update_institution(theirs, capacity=6, actor=office, reason="新增診療椅")
    return list(AuditEvent.objects.order_by("seq"))


def test_events_record_who_what_before_after_and_why(chain, office, ours):
    event = AuditEvent.objects.filter(event_type="institution.updated", subject_id=str(ours.pk)).get()
    assert event.actor == office and event.reason == "電話更正"
    assert event.before == {"phone": ""} and event.after == {"phone": "02-2700-0000"}
    assert event.subject_type == "institutions.institution"


def test_the_chain_is_numbered_and_linked(chain):
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(chain))
    assert verify_chain().ok


def test_an_edited_row_is_found(chain):
    target = chain[2]
    raw("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["竄改", target.seq])
    result = verify_chain()
    assert not result.ok and result.broken_seq == target.seq and "altered" in result.message


def test_an_edited_json_value_is_found(chain):
    target = chain[-1]
    raw("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"capacity": 60}', target.seq])
    assert verify_chain().broken_seq == target.seq


def test_a_deleted_middle_row_is_found(chain):
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2 and "missing" in result.message


def test_a_deleted_last_row_is_found_through_the_head(chain):
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [chain[-1].seq])
    result = verify_chain()
    assert not result.ok and result.broken_seq == chain[-1].seq


def test_a_rehashed_row_still_breaks_the_link_to_the_next(chain):
    # Someone edits row 2 and recomputes its hash: row 3's prev_hash no longer matches.
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = 2", ["f" * 64])
    assert verify_chain().broken_seq == 2


def test_the_orm_refuses_to_update_or_delete_events(chain):
    event = chain[0]
    event.reason = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_recording_outside_a_transaction_is_refused(transactional_db):
    assert not connection.in_atomic_block
    with pytest.raises(AuditOutsideTransactionError):
        record_event(actor=None, event_type="x.y", subject_type="x", subject_id="1")


def test_recording_an_event_type_not_in_event_type_is_refused(db, ours):
    before = AuditEvent.objects.count()
    with transaction.atomic(), pytest.raises(ValueError, match=r"institution\.updatd"):
        record_event(actor=None, event_type="institution.updatd", subject=ours)  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == before


def test_an_event_type_is_stored_as_its_plain_text_value(db, ours):
    with transaction.atomic():
        event = record_event(actor=None, event_type=EventType.INSTITUTION_UPDATED, subject=ours)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert type(stored.event_type) is str and stored.event_type == "institution.updated"
    assert verify_chain().ok


def test_the_code_names_every_event_type_by_its_event_type_constant():
    """No `event_type="…"` text in the web apps (a typo would only fail when that action runs), and
    every `EventType.X` they name exists."""
    web = Path(pingjian.web.__file__).parent
    for path in web.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "event_type":
                assert not isinstance(node.value, ast.Constant), f"{path}:{node.value.lineno}"
            if (
                isinstance(node, ast.Attribute)
                and getattr(node.value, "id", None) == "EventType"
                and node.attr.isupper()
            ):
                assert node.attr in EventType.__members__, f"{path}:{node.lineno} EventType.{node.attr}"


def test_a_rolled_back_action_leaves_no_event(ours, office):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        do_update_institution(ours, phone="1", actor=office, reason="r")
        raise RuntimeError("boom")
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok


def test_cli_verify_passes_on_an_intact_chain(chain):
    result = CliRunner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_cli_verify_fails_naming_the_edited_row(chain):
    raw("UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", ["someone else", 3])
    result = CliRunner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 1
    assert "#3" in result.output


def test_cli_verify_fails_naming_the_deleted_row(chain):
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [4])
    result = CliRunner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 1 and "#4" in result.output
