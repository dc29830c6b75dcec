"""Every command explains itself, and data commands keep stdout clean for pipes."""

from __future__ import annotations

import json

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from litcorpus.cli import app

runner = CliRunner()


def command_names() -> list[str]:
    return sorted(get_command(app).commands)


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(name):
    command = get_command(app).commands[name]
    assert command.help and len(command.help.strip()) > 20, f"{name} has no help text"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"option {param.name} of {name} has no help text"


def test_export_writes_only_data_to_stdout(tmp_path):
    table = tmp_path / "refs.csv"
    table.write_text("id,title,author,year\nr1,A study of things,\"Smith, J\",2020\n", "utf-8")
    db = tmp_path / "c.db"
    assert runner.invoke(app, ["ingest", str(table), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["title"] == "A study of things"


def test_unknown_export_format_is_one_line_and_exit_2(tmp_path):
    db = tmp_path / "c.db"
    table = tmp_path / "refs.csv"
    table.write_text("id,title,year\nr1,A title,2020\n", "utf-8")
    runner.invoke(app, ["ingest", str(table), "--db", str(db)])
    result = runner.invoke(app, ["export", "--format", "nonsense", "--db", str(db)])
    assert result.exit_code == 2
    assert "unknown export format" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_corpus_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["stats", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 2
    assert "no corpus" in result.stderr
