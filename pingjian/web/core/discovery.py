"""Find optional per-app modules (`urls`, `api`, `panels`, `demo`) in the installed domain apps.

Apps are added by creating their package under pingjian/web/ (settings.DOMAIN_APPS picks it up);
this lets each app plug its pages, API router, dashboard panels and demo data in without editing
shared files.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.conf import settings


def domain_modules(module_name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (app name, module) for every installed domain app that has `<app>/<module_name>.py`."""
    for app in settings.DOMAIN_APPS:
        dotted = f"pingjian.web.{app}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            yield app, importlib.import_module(dotted)
