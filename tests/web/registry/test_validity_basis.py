"""Issue 21 item 3: the result page says whether a validity's length is stated by the program
(seed 002 §十三: longest 4, shortest 1 year) or our assumption pending an administrator (3, 2)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingjian.web.registry.models import RegistryEntry
from tests.web.support import client_for


def _page(institution, program_id, start, end):
    entry = RegistryEntry.objects.create(
        institution=institution, program_id=program_id, program_title="評鑑", valid_from=start,
        valid_until=end, published_at=timezone.now(),
    )  # fmt: skip
    return client_for(None).get(f"/registry/{entry.pk}/").content.decode()


def test_a_3_year_postpartum_validity_is_shown_as_our_assumption_seed_002_s13(ours):
    body = _page(ours, "postpartum-111", dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert "效期3年為本系統之假設，待管理者確認。" in body
    assert "最長為4年" in body and "最短為1年" in body  # the seed's own steps, cited


def test_a_4_year_postpartum_validity_cites_the_seed_seed_002_s13(ours):
    body = _page(ours, "postpartum-111", dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    assert "效期4年為評鑑計畫所定：" in body and "seed 002 §十三(一)" in body
    assert "本系統之假設，待管理者確認" not in body


def test_a_psych_result_says_the_program_states_no_validity_seed_003(ours):
    body = _page(ours, "psych-rehab-day-107", dt.date(2018, 12, 20), None)
    assert "評鑑計畫未載明合格效期" in body
