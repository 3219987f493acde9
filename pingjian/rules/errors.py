"""Errors the core raises for bad input. Each names the place (file, row, field) it concerns."""

from __future__ import annotations


class PingjianError(Exception):
    """Base of every input error the CLI reports as a one-line message."""


class ProgramFileError(PingjianError):
    """A program definition file is invalid: names the file, the path inside it and the problem."""


class AssessmentError(PingjianError):
    """An assessment (scoring input) is invalid: names the item and field."""


class CalendarError(PingjianError):
    """A date is outside the loaded working-day calendars, or a date string cannot be read."""


class DataFileError(PingjianError):
    """A data file (claims, institutions CSV, …) is invalid: names the file, row and column."""


class ParameterError(PingjianError):
    """A changed program parameter (what-if) is unknown, unreadable or out of range: names it."""
