"""`litcorpus check`: exit 0 when expectations hold, 1 naming each unmet one, 2 for a bad file."""

from __future__ import annotations

from typer.testing import CliRunner

from litcorpus.cli import app
from tests.conftest import FIXTURES, SEEDS

runner = CliRunner()


def test_seed_expectations_hold():
    result = runner.invoke(app, ["check", str(SEEDS), "--expect",
                                 str(FIXTURES / "seeds.expect.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "expectations met" in result.stderr


def test_unmet_expectations_exit_1_with_expected_and_actual(tmp_path):
    expect = tmp_path / "expect.yaml"
    expect.write_text("records: 20\nunique: 18\n"
                      "distinct:\n  - [000_a71d4a2637553815.txt, 002_3562df9c2e79e62e.txt]\n",
                      "utf-8")
    result = runner.invoke(app, ["check", str(SEEDS), "--expect", str(expect)],
                           terminal_width=200)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any("records parsed" in line and "20" in line and "19" in line for line in lines)
    assert "stay apart" in result.stderr and "merged" in result.stderr
    assert "2 of 3 expectations not met" in result.stderr


def test_bad_expectation_file_is_exit_2_naming_the_key(tmp_path):
    expect = tmp_path / "expect.yaml"
    expect.write_text("recrods: 19\n", "utf-8")
    result = runner.invoke(app, ["check", str(SEEDS), "--expect", str(expect)])
    assert result.exit_code == 2
    assert "recrods" in result.stderr and "Traceback" not in result.stderr
