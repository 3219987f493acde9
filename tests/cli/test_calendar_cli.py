"""`pingjian calendar …` through click: the contract's JSON shape and the one-line error path."""

import json

import pytest
from click.testing import CliRunner

from pingjian.cli import main


def run(*args):
    return CliRunner().invoke(main, ["calendar", *args])


def test_deadline_json_is_exactly_date_and_roc():
    """Contract (evaluation-programs.md, Deadlines): {"date": "2023-06-26", "roc": "112/06/26"};
    行政程序法第48條 moves 端午節 2023-06-22 to Monday 06-26."""
    result = run("deadline", "2023-06-08", "14", "--regime", "administrative", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"date": "2023-06-26", "roc": "112/06/26"}
    assert result.stderr == ""


def test_the_2018_and_2021_questions_of_issue_21_answer():
    """Issue 21 item 7: ROC 107 (the psych-rehab-107 cycle) and 110 have calendar files now.
    2018-06-08 + 5 working days → Friday 06-15; 2021-06-08 + 14 days → Tuesday 06-22 (§48)."""
    result = run("workdays", "2018-06-08", "5", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"date": "2018-06-15", "roc": "107/06/15"}
    result = run("deadline", "2021-06-08", "14", "--regime", "administrative", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"date": "2021-06-22", "roc": "110/06/22"}
    # 2021-06-14 端午節 is a day off: 2021-06-08 + 5 working days skips it
    assert json.loads(run("workdays", "2021-06-08", "5", "--json").stdout)["date"] == "2021-06-16"


def test_deadline_civil_regime_json():
    """民法第122條: Sunday 2024-01-07 → Monday 2024-01-08."""
    result = run("deadline", "2023-12-24", "14", "--regime", "civil", "--json")
    assert json.loads(result.stdout) == {"date": "2024-01-08", "roc": "113/01/08"}


def test_deadline_on_a_make_up_saturday_stays():
    """Contract: a make-up Saturday counts as a workday (2023-01-07)."""
    result = run("deadline", "111/12/24", "14", "--regime", "administrative", "--json")
    assert json.loads(result.stdout) == {"date": "2023-01-07", "roc": "112/01/07"}


@pytest.mark.parametrize(
    "start", ["2023-06-08", "112/06/08", "112/6/8", "112年6月8日", "民國112年6月8日", "1120608"]
)
def test_start_accepts_iso_and_roc_forms(start):
    result = run("workdays", start, "5", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"date": "2023-06-15", "roc": "112/06/15"}


def test_workdays_counts_a_make_up_saturday():
    result = run("workdays", "2023-06-13", "4", "--json")
    assert json.loads(result.stdout) == {"date": "2023-06-17", "roc": "112/06/17"}


def test_deadline_text_output_is_traditional_chinese_with_roc_date_and_explanation():
    result = run("deadline", "2023-06-10", "14", "--regime", "administrative")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "期間末日：112/06/26上午（2023-06-26，星期一）"
    assert lines[1].startswith("依行政程序法第48條，自112年6月10日之次日起算14日，")


def test_workdays_text_output():
    result = run("workdays", "2023-06-08", "5")
    assert result.stdout.splitlines() == [
        "第5個上班日：112/06/15（2023-06-15，星期四）",
        "自112年6月8日之次日起算第5個上班日為112年6月15日（星期四）。",
    ]


def test_county_closure_moves_the_administrative_deadline():
    args = ["deadline", "2023-07-13", "14", "--regime", "administrative", "--json"]
    closed = ["--closure", "2023-07-27=高雄市"]
    assert json.loads(run(*args, *closed, "--county", "高雄市").stdout)["date"] == "2023-07-28"
    assert json.loads(run(*args, *closed, "--county", "臺北市").stdout)["date"] == "2023-07-27"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadline", "not-a-date", "14", "--regime", "civil", "--json"], "not-a-date"),
        (["deadline", "2023-06-08", "-3", "--regime", "civil", "--json"], "must not be negative"),
        (["deadline", "2023-06-08", "x", "--regime", "civil", "--json"], "whole number"),
        (["deadline", "2017-06-08", "14", "--regime", "civil", "--json"], "2017"),
        (["deadline", "2027-12-25", "14", "--regime", "administrative", "--json"], "2028"),
        (["deadline", "2023-06-08", "14", "--regime", "criminal", "--json"], "criminal"),
        (["deadline", "2023-06-08", "14", "--json"], "--regime"),
        (["deadline", "2023-06-08", "--regime", "civil"], "DAYS"),
        (["workdays", "2023-06-08", "0", "--json"], "at least 1"),
        (["workdays", "2023-06-08", "-2", "--json"], "at least 1"),
        (["workdays", "112/02/30", "3", "--json"], "112/02/30"),
        (["deadline", "2023-06-08", "3", "--regime", "civil", "--closure", "tomorrow"], "DATE=COUNTY"),
    ],
)
def test_bad_input_is_one_line_on_stderr_non_zero_exit_nothing_on_stdout(args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
