import pytest

from pingjian.web.core.institution_codes import code_problem, normalise_code


@pytest.mark.parametrize(
    "raw", ["0401180014", "1132070011", "35012A0001", "０４０１１８００１４", " 0401180014 "]
)
def test_valid_codes_pass_after_normalisation(raw):
    assert code_problem(normalise_code(raw)) is None


@pytest.mark.parametrize("raw", ["040118001", "04011800145", "A401180014", "04-1180014", "0401180O1$"])
def test_invalid_codes_are_named(raw):
    problem = code_problem(normalise_code(raw))
    assert problem is not None and "醫事機構代碼" in problem
