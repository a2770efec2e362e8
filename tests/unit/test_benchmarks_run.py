"""The benchmarks still run against the code as it is (their figures are in the README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import store_bench


def test_the_store_benchmark_runs_end_to_end_on_a_few_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert store_bench.main(["--days", "3", "--runs", "1", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "weekly review (7 days + week + grid)" in printed
    (results,) = tmp_path.glob("results-3d-seed1.json")
    assert json.loads(results.read_text())
