"""Find optional per-app modules (`urls`, `api`, `panels`, `demo`) in the installed domain apps.

Apps are added by creating their package under pingjian/web/ (settings.DOMAIN_APPS picks it up);
this lets each app plug its pages, API router, dashboard panels and demo data in without editing
shared files.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.conf import settings


def hooks(module_name: str, function_name: str) -> Iterator[Callable[..., Any]]:
    """The function FUNCTION_NAME of every domain app's `<app>/<module_name>.py` that defines it
    (e.g. `hooks("sections", "application_sections")`), in the apps' order."""
    for _app, module in domain_modules(module_name):
        hook = getattr(module, function_name, None)
        if hook is not None:
            yield hook


def domain_modules(module_name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (app name, module) for every installed domain app that has `<app>/<module_name>.py`."""
    yield from _found(module_name, tuple(settings.DOMAIN_APPS))


@functools.cache
def _found(module_name: str, apps: tuple[str, ...]) -> tuple[tuple[str, ModuleType], ...]:
    """Looked up once per process: `find_spec` searches the file system for every app without the
    module (a third of a millisecond per call, and the navigation, the sections and every
    institution scope ask several times per request). Keyed on the app list, so that a test
    changing DOMAIN_APPS finds its own."""
    found = []
    for app in apps:
        dotted = f"pingjian.web.{app}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            found.append((app, importlib.import_module(dotted)))
    return tuple(found)
