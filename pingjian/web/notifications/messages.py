"""A notification's subject as a message key and its parameters, so that each reader sees it in
their own language (issue 18 item 9): the key is the Traditional Chinese text with named fields
(「{institution}：{step}（{cycle}）」), itself the msgid of the English translation in the .po, and
the parameters are the words that fill it (an institution's name, a step's label …; a parameter
that is itself a msgid, such as a step's label, is translated too). The subject is also stored
rendered in the interface's first language, for the e-mail and for rows written before keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

SUBJECT_MAX_LENGTH = 200


@dataclass(frozen=True)
class Message:
    key: str
    params: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        """In the active language (the reader's)."""
        return render(self.key, self.params)

    def stored(self) -> str:
        """In the interface's first language, as the row's `subject` keeps it."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()


def message(key: str, **params: Any) -> Message:
    """KEY (mark it with gettext_noop where it is written) with PARAMS, each kept as text."""
    return Message(key, {name: str(value) for name, value in params.items()})


def render(key: str, params: dict[str, Any]) -> str:
    words = {
        name: gettext(value) if isinstance(value, str) and value else value for name, value in params.items()
    }
    try:
        return gettext(key).format(**words)[:SUBJECT_MAX_LENGTH]
    except (KeyError, IndexError, ValueError):  # a translation naming a field the row lacks
        return key.format(**params)[:SUBJECT_MAX_LENGTH]
