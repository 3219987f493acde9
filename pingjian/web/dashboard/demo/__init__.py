"""The demo data (demo mode only): the base (accounts, institutions, surveyors, registry), then the
programs, the cycles, the applications in their states, the visit schedule and one finalised case
per program, each idempotent."""

from __future__ import annotations

from django.db import transaction

from . import applications, cycles, finalised, programs, visits
from .base import DemoData, DemoModeRequiredError, seed_base

__all__ = ["DemoData", "DemoModeRequiredError", "seed_base", "seed_demo"]


def seed_demo(*, force: bool = False) -> DemoData:
    data = seed_base(force=force)
    for seeder in (programs, cycles, applications, visits, finalised):
        with transaction.atomic():
            seeder.seed(data)
    return data
