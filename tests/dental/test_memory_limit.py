"""--memory-limit is the run's memory budget (contract: Commands, "the engine's memory budget;
DuckDB spills to disk beyond it"): DuckDB gets the budget less the process's other memory."""

import pytest
from click.testing import CliRunner

from pingjian.cli.dental import dental
from pingjian.dental.engine import duckdb_share, memory_bytes
from pingjian.rules.errors import DataFileError


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4GB", 4 * 10**9), ("512MB", 512 * 10**6), ("8GiB", 8 * 2**30), ("2.5gb", 25 * 10**8), ("1000", 1000)],
)
def test_sizes_read_as_duckdb_reads_them(text, expected):
    assert memory_bytes(text) == expected


@pytest.mark.parametrize("text", ["4 giga", "", "0GB", "-1GB", "4GB'; SELECT 1"])
def test_a_bad_size_is_refused_naming_the_option(text):
    with pytest.raises(DataFileError, match=r"^--memory-limit .*: expected a size such as 4GB or 512MB$"):
        memory_bytes(text)


def test_duckdb_gets_the_budget_less_the_process_overhead():
    assert duckdb_share("4GB") == f"{(4 * 10**9 - 600 * 10**6) // 2**20}MiB"  # 15 % > 512 MiB
    assert duckdb_share("2GB") == f"{(2 * 10**9 - 512 * 2**20) // 2**20}MiB"  # 512 MiB > 15 %
    assert duckdb_share("512MB") == f"{256 * 10**6 // 2**20}MiB"  # never below half


def test_cli_bad_memory_limit_exits_2_with_one_line(tmp_path):
    from tests.dental.test_validation_paths import good

    data = good().write(tmp_path / "d", "csv")
    out = tmp_path / "s.csv"
    args = ["score", "--data", str(data), "--quarter", "2024Q4", "--out", str(out), "--memory-limit", "lots"]
    result = CliRunner().invoke(dental, args)
    assert result.exit_code == 2
    assert result.output.strip() == "錯誤 error: --memory-limit 'lots': expected a size such as 4GB or 512MB"
    assert not out.exists()
