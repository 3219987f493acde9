"""Every API list is paginated with bounded numbers (issue 17, item 3).

`BoundedLimitOffsetPagination` is django-ninja's limit/offset with a maximum page size
(`MAX_PAGE_SIZE`) and a maximum offset (`MAX_OFFSET`), both checked by the schema: a `limit` of
100000 or an `offset` of 10^20 is answered 422 with the field named, before any query runs (without
the bounds 10^20 reached the database: "datatype mismatch" on SQLite, "bigint out of range" on
PostgreSQL, both a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000_000  # far beyond any list we hold; offset + limit stays inside a 64-bit integer


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="page size (1–200)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class MappedQuerySet:
    """QUERYSET seen through FN, lazily: the paginator slices it (one query for the page) and counts
    it (one COUNT), so an endpoint that builds its output objects by hand still loads one page."""

    def __init__(self, queryset: Any, fn: Callable[[Any], Any]) -> None:
        self.queryset = queryset
        self.fn = fn

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.fn(obj) for obj in self.queryset[window]]

    def __len__(self) -> int:
        return int(self.queryset.count())
