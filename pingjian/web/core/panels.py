"""A dashboard panel. Each app may have a `panels.py` with

    def dashboard_panels(request) -> list[Panel]

and the dashboard (the roof app) shows every panel the user's apps return, sorted by `order`;
`NAV_EXTENSIONS = [(label, url name, predicate)]` there adds entries to the navigation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
