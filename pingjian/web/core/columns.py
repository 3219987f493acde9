"""Columns that other apps add to a list page, found by discovery: an app's `sections.py` may
define `<page>_columns(request, objects) -> list[Column]` (e.g. `bureau_list_columns(request,
applications)` for the health bureau's county list). Each column gives its header and one cell per
object (by primary key); the page shows them after its own columns, in `order`. The app that owns
the data fills the cells, so no list page imports another app of its layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .discovery import hooks


@dataclass
class Column:
    header: str
    cells: dict[int, str] = field(default_factory=dict)  # object pk → the cell's text
    order: int = 100
    empty: str = "—"


def columns_for(page: str, request: Any, objects: Sequence[Any]) -> list[Column]:
    columns = [
        column for provide in hooks("sections", f"{page}_columns") for column in provide(request, objects)
    ]
    return sorted(columns, key=lambda column: column.order)


def rows_with_columns(
    objects: Sequence[Any], columns: list[Column]
) -> list[tuple[Any, list[tuple[str, str]]]]:
    """(object, its cells as (header, text) in the columns' order) for a template's rows."""
    return [
        (obj, [(column.header, column.cells.get(obj.pk, column.empty)) for column in columns])
        for obj in objects
    ]
