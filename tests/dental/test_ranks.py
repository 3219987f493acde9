"""Percentile ranks (contract: Percentile rank): exact PR = (100 × #(v ≤ x)) // N."""

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from pingjian.dental.ranks import percentile_ranks


def test_exact_rank_where_float_cume_dist_is_wrong_n100():
    values = {i: Fraction(i) for i in range(1, 101)}
    pr = percentile_ranks(values)
    # float floor(100 * cume_dist) gives 28, 56, 57 for these (0.29 * 100 = 28.999…)
    assert [math.floor(100 * (k / 100)) for k in (29, 57, 58)] == [28, 56, 57]
    assert (pr[29], pr[57], pr[58]) == (29, 57, 58)


def test_ties_share_the_high_count_and_max_is_100():
    pr = percentile_ranks({"a": Fraction(1), "b": Fraction(2), "c": Fraction(2), "d": Fraction(3)})
    assert pr == {"a": 25, "b": 75, "c": 75, "d": 100}


def test_ties_decided_on_exact_fractions_not_floats():
    # 1/3 and 33333333333333333/100000000000000000 are different; float would tie them
    a, b = Fraction(1, 3), Fraction(33333333333333333, 10**17)
    assert float(a) == float(b)
    pr = percentile_ranks({"a": a, "b": b})
    assert pr == {"a": 100, "b": 50}


def test_null_values_are_left_out_of_the_population():
    pr = percentile_ranks({"a": None, "b": Fraction(5), "c": Fraction(7)})
    assert pr == {"a": None, "b": 50, "c": 100}


values_st = st.dictionaries(
    st.integers(0, 50),
    st.one_of(st.none(), st.fractions(min_value=-1000, max_value=1000, max_denominator=50)),
    min_size=1,
)


@given(values_st)
def test_pr_is_monotone_in_the_value(values):
    pr = percentile_ranks(values)
    present = [(v, pr[k]) for k, v in values.items() if v is not None]
    for v1, p1 in present:
        for v2, p2 in present:
            if v1 <= v2:
                assert p1 <= p2
            if v1 == v2:
                assert p1 == p2


@given(values_st)
def test_maximum_has_pr_100_and_ranks_are_in_range(values):
    pr = percentile_ranks(values)
    present = [v for v in values.values() if v is not None]
    for k, v in values.items():
        if v is None:
            assert pr[k] is None
        else:
            assert 1 <= pr[k] <= 100
            if v == max(present):
                assert pr[k] == 100


def _by_definition(values):
    """The contract's formula read literally: (100 × #(v ≤ x)) // N over the non-null values."""
    present = [v for v in values.values() if v is not None]
    return {
        k: None if v is None else (100 * sum(1 for w in present if w <= v)) // len(present)
        for k, v in values.items()
    }


@given(
    st.dictionaries(
        st.integers(0, 200),
        st.one_of(
            st.none(),
            st.fractions(min_value=-5, max_value=5, max_denominator=10**18),  # floats tie these
            st.sampled_from(
                [Fraction(1, 3), Fraction(33333333333333333, 10**17), Fraction(0), Fraction(7, 2)]
            ),
        ),
        min_size=1,
    )
)
def test_ranks_equal_the_formula_also_where_floats_tie(values):
    assert percentile_ranks(values) == _by_definition(values)
