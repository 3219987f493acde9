"""Validity periods: JCT 3 years, postpartum 4/3/2/1 years, 撤銷, 廢止, cohort extensions."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingjian.rules.errors import PingjianError
from pingjian.rules.validity import (
    CohortExtension,
    ValidityError,
    abolish,
    apply_extension,
    jct_validity,
    period_end,
    postpartum_validity,
    postpartum_years,
    revoke,
    status_on,
)


def test_seed_000_jct_pass_valid_three_years_from_the_decision_date():
    """Seed 000 認證效期「通過者3年」: decision 112-09-15 → valid 112-09-15 … 115-09-14."""
    period = jct_validity("aesthetic-clinic-112", "clinic-1", date(2023, 9, 15))
    assert period.start == date(2023, 9, 15)
    assert period.end == date(2026, 9, 14)
    assert period.result_year == 2023
    assert "seed 000" in period.reference
    assert status_on(period, date(2026, 9, 14)) == "valid"
    assert status_on(period, date(2026, 9, 15)) == "expired"
    assert status_on(period, date(2023, 9, 14)) == "none"


def test_seed_000_jct_decision_on_29_february_ends_on_28_february():
    """Seed 000 + 民法第121條第2項 (no corresponding day → last day of the month)."""
    period = jct_validity("cell-therapy-clinic-112", "clinic-2", date(2024, 2, 29))
    assert period.end == date(2027, 2, 28)


def test_seed_000_jct_validity_refuses_a_non_jct_program():
    with pytest.raises(ValidityError, match="postpartum-111"):
        jct_validity("postpartum-111", "x", date(2023, 9, 15))


def test_seed_002_s13_postpartum_pass_valid_four_years_from_next_january():
    """Seed 002 §十三(一): 111 pass → 112-01-01 … 115-12-31 (護理機構評鑑辦法第3條、第4條)."""
    period = postpartum_validity("pp-1", 2022, passed=True)
    assert period is not None
    assert (period.start, period.end) == (date(2023, 1, 1), date(2026, 12, 31))
    assert period.describe() == "有效期間自112年1月1日起至115年12月31日止"
    assert status_on(period, date(2022, 12, 31)) == "none"
    assert status_on(period, date(2023, 1, 1)) == "valid"
    assert status_on(period, date(2027, 1, 1)) == "expired"


@pytest.mark.parametrize(
    ("failures", "end"),
    [
        (0, date(2026, 12, 31)),
        (1, date(2025, 12, 31)),
        (2, date(2024, 12, 31)),
        (3, date(2023, 12, 31)),
        (7, date(2023, 12, 31)),
    ],
)
def test_seed_002_s13_pass_after_consecutive_failures_gets_3_2_1_years(failures, end):
    """Seed 002 §十三(一): longest 4 years, shortest 1 year (112-01-01 … 112-12-31)."""
    period = postpartum_validity("pp-2", 2022, passed=True, consecutive_failures_before=failures)
    assert period is not None
    assert period.start == date(2023, 1, 1)
    assert period.end == end


def test_seed_002_s13_ii_fail_has_no_validity():
    """Seed 002 §十三(二): 不合格者，無評鑑合格效期."""
    assert postpartum_validity("pp-3", 2022, passed=False) is None
    assert status_on(None, date(2023, 6, 1)) == "none"


def test_postpartum_years_refuses_negative_failures():
    with pytest.raises(ValidityError, match="-1"):
        postpartum_years(-1)


def test_seed_002_s14_ii_revocation_voids_from_the_start():
    """Seed 002 §十四(二): 撤銷 — void from the start, even for dates before the decision."""
    period = postpartum_validity("pp-4", 2022, passed=True)
    assert period is not None
    revoked = revoke(period, date(2024, 3, 1), "文件虛偽不實")
    assert status_on(revoked, date(2023, 5, 1)) == "revoked"
    assert status_on(revoked, date(2025, 5, 1)) == "revoked"
    assert status_on(revoked, date(2022, 5, 1)) == "none"
    assert revoked.effective_end is None
    assert "撤銷，自始無效" in revoked.describe()
    assert status_on(period, date(2025, 5, 1)) == "valid"  # the original is unchanged


def test_seed_002_s14_i_abolition_ends_from_its_effective_date():
    """Seed 002 §十四(一): 廢止 — valid before the effective date, abolished from it on."""
    period = postpartum_validity("pp-5", 2022, passed=True)
    assert period is not None
    abolished = abolish(period, date(2024, 7, 1), "屆期未改善")
    assert status_on(abolished, date(2024, 6, 30)) == "valid"
    assert status_on(abolished, date(2024, 7, 1)) == "abolished"
    assert status_on(abolished, date(2027, 7, 1)) == "abolished"
    assert abolished.effective_end == date(2024, 6, 30)
    assert abolish(abolished, date(2025, 1, 1)).abolished_from == date(2024, 7, 1)


def test_revocation_takes_precedence_over_abolition():
    period = jct_validity("aesthetic-clinic-112", "clinic-3", date(2023, 9, 15))
    both = revoke(abolish(period, date(2024, 1, 1)), date(2024, 6, 1))
    assert status_on(both, date(2023, 10, 1)) == "revoked"


def test_cohort_extension_by_months_moves_every_period_of_the_cohort():
    """A COVID-style extension: postpartum results of 2018 (valid to 2022-12-31) +12 months."""
    cohort = [
        postpartum_validity(f"pp-{i}", 2018, passed=True, consecutive_failures_before=i) for i in range(3)
    ]
    other_year = postpartum_validity("pp-x", 2019, passed=True)
    other_program = jct_validity("aesthetic-clinic-112", "clinic-4", date(2018, 9, 15))
    periods = [p for p in [*cohort, other_year, other_program] if p is not None]
    extension = CohortExtension(
        program="postpartum-111", result_year=2018, months=12, reason="COVID-19", reference="衛福部函"
    )
    extended = apply_extension(periods, extension)
    assert [p.end for p in extended[:3]] == [date(2023, 12, 31), date(2022, 12, 31), date(2021, 12, 31)]
    assert extended[3] == other_year
    assert extended[4] == other_program
    assert extended[0].extensions[0].previous_end == date(2022, 12, 31)
    assert extended[0].extensions[0].reason == "COVID-19"
    assert status_on(extended[0], date(2023, 6, 1)) == "valid"
    assert status_on(periods[0], date(2023, 6, 1)) == "expired"


def test_cohort_extension_to_a_new_end_date():
    period = jct_validity("cell-therapy-clinic-112", "clinic-5", date(2023, 9, 15))
    extension = CohortExtension(
        program="cell-therapy-clinic-112",
        result_year=2023,
        new_end=date(2027, 3, 31),
        reason="展延",
        reference="ref",
    )
    [extended] = apply_extension([period], extension)
    assert extended.end == date(2027, 3, 31)


def test_cohort_extension_leaves_revoked_periods_and_abolition_still_ends():
    period = postpartum_validity("pp-6", 2018, passed=True)
    assert period is not None
    extension = CohortExtension("postpartum-111", 2018, "COVID-19", "衛福部函", months=12)
    revoked = revoke(period, date(2021, 1, 1))
    abolished = abolish(period, date(2022, 6, 1))
    after_revoked, after_abolished = apply_extension([revoked, abolished], extension)
    assert after_revoked == revoked
    assert after_abolished.end == date(2023, 12, 31)
    assert status_on(after_abolished, date(2023, 1, 1)) == "abolished"


def test_extension_must_extend():
    period = postpartum_validity("pp-7", 2022, passed=True)
    assert period is not None
    shorter = CohortExtension("postpartum-111", 2022, "x", "y", new_end=date(2025, 12, 31))
    with pytest.raises(ValidityError, match="not after the current end"):
        apply_extension([period], shorter)


def test_extension_needs_exactly_one_of_new_end_or_months():
    with pytest.raises(ValidityError, match="exactly one"):
        CohortExtension("postpartum-111", 2022, "x", "y")
    with pytest.raises(ValidityError, match="exactly one"):
        CohortExtension("postpartum-111", 2022, "x", "y", new_end=date(2027, 1, 1), months=3)
    with pytest.raises(PingjianError, match="at least 1"):
        CohortExtension("postpartum-111", 2022, "x", "y", months=0)


def test_period_end_follows_civil_code_121_ii():
    """民法第121條第2項: the day before the corresponding day; no such day → the month's last day."""
    assert period_end(date(2023, 9, 15), 36) == date(2026, 9, 14)
    assert period_end(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert period_end(date(2023, 1, 1), 12) == date(2023, 12, 31)
    assert period_end(date(2024, 3, 1), 1) == date(2024, 3, 31)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_property_jct_validity_is_about_three_years_and_valid_through_its_end(decided):
    period = jct_validity("aesthetic-clinic-112", "c", decided)
    assert 1094 <= (period.end - period.start).days <= 1096
    assert status_on(period, period.end) == "valid"
    assert status_on(period, decided) == "valid"
