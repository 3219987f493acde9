"""`changed_fields` is the one way every action reduces a before/after snapshot to what changed."""

from pingjian.web.audit.actions import changed_fields


def test_only_the_changed_keys_are_kept_on_each_side():
    before = {"state": "draft", "version": 1, "fee": None}
    after = {"state": "submitted", "version": 2, "fee": None}
    assert changed_fields(before, after) == (
        {"state": "draft", "version": 1},
        {"state": "submitted", "version": 2},
    )


def test_a_new_key_appears_only_after_and_a_removed_one_only_before():
    assert changed_fields({}, {"name": "安心"}) == ({}, {"name": "安心"})
    assert changed_fields({"row 3": "met"}, {}) == ({"row 3": "met"}, {})
