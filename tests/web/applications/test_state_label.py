"""The application's state label (models.state_label) answers what Django's generated
get_FOO_display would: the state's label in the active language, or the stored value when it is no
state. It replaces Django's, which translated every state's label at each call (the list page's
cost, docs/benchmarks.md "Cost per request")."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.encoding import force_str

from pingjian.web.applications.models import Application, ApplicationTransition
from pingjian.web.applications.workflow import State


def _django_display(model, field_name: str, value: str) -> str:  # type: ignore[no-untyped-def]
    """Django's own answer (Model._get_FIELD_display)."""
    choices = dict(model._meta.get_field(field_name).flatchoices)
    return force_str(choices.get(value, value), strings_only=True)


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("value", [*State.values, "no-such-state"])
def test_state_labels_are_djangos(language: str, value: str) -> None:
    with translation.override(language):
        expected = _django_display(Application, "state", value)
        assert Application(state=value).get_state_display() == expected
        move = ApplicationTransition(from_state=value, to_state=value)
        assert move.get_from_state_display() == _django_display(ApplicationTransition, "from_state", value)
        assert move.get_to_state_display() == _django_display(ApplicationTransition, "to_state", value)


def test_english_labels_differ_from_the_chinese() -> None:
    """The comparison above is in both languages for real: the catalog translates the states."""
    with translation.override("en"):
        english = Application(state=State.SUBMITTED).get_state_display()
    with translation.override("zh-hant"):
        chinese = Application(state=State.SUBMITTED).get_state_display()
    assert english != chinese == "已送件"
