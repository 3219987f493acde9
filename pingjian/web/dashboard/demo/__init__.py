"""The demo data (demo mode only): the base (accounts, institutions, surveyors, registry), then the
programs, the cycles, the applications in their states and the visit schedule, each idempotent."""

from __future__ import annotations

from django.db import transaction

from . import applications, cycles, programs, visits
from .base import DemoData, DemoModeRequiredError, seed_base

__all__ = ["DemoData", "DemoModeRequiredError", "seed_base", "seed_demo"]


def seed_demo(*, force: bool = False) -> DemoData:
    data = seed_base(force=force)
    for seeder in (programs, cycles, applications, visits):
        with transaction.atomic():
            seeder.seed(data)
    return data
