"""Answers found by the schema-driven API tests (issue 16 item 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pingjian.web.decisions.actions import do_finalize_decision
from pingjian.web.decisions.error_codes import DecisionErrorCode


def test_finalising_an_undecided_application_is_refused_in_words_not_a_server_error(application, office):
    with pytest.raises(ValidationError) as refused:
        do_finalize_decision(application, actor=office)
    assert refused.value.code == DecisionErrorCode.NOT_DECIDED
    assert "尚無評定會議之評定結果" in refused.value.messages[0]
