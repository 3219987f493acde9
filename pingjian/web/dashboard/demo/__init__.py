"""The demo data (demo mode only): the base (accounts, institutions, surveyors, registry), then the
programs, the cycles, the applications in their states, the visit schedule, one finalised case
per program and a JCT clinic whose certificate ends within 12 months with its renewal opened, each
idempotent."""

from __future__ import annotations

from django.db import transaction

from . import applications, cycles, finalised, programs, renewal, visits
from .base import DemoData, DemoModeRequiredError, seed_base

__all__ = ["DemoData", "DemoModeRequiredError", "seed_base", "seed_demo"]


def seed_demo(*, force: bool = False) -> DemoData:
    data = seed_base(force=force)
    for seeder in (programs, cycles, applications, visits, finalised, renewal):
        with transaction.atomic():
            seeder.seed(data)
    return data
