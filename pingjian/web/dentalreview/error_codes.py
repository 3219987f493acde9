"""The codes of the ValidationErrors the dental review actions raise (`exc.code`); values never change."""

from __future__ import annotations

from enum import StrEnum


class DentalReviewErrorCode(StrEnum):
    BAD_INPUT = "bad_input"  # a file, folder, quarter or parameter the engine refuses
    NO_SOURCE = "no_source"  # neither an upload nor a server folder (or both)
    RUN_NOT_DONE = "run_not_done"  # a what-if needs a finished run
