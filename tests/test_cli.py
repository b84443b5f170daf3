"""The amparo command: one-line errors, non-zero exit codes, help on every command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from amparo.cli import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("args", [[], ["serve"], ["data"], ["data", "check"], ["data", "export"]])
def test_every_command_has_help(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_data_check_passes_on_the_shipped_dataset(runner):
    result = runner.invoke(main, ["data", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 41 support types")


def test_data_check_reports_file_and_line_and_exits_2(runner, data_copy):
    path = data_copy / "issuers" / "CA.yaml"
    path.write_text(path.read_text().replace("status: explicit", "status: perhaps", 1))
    result = runner.invoke(main, ["data", "check", "--data-dir", str(data_copy)])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert "issuers/CA.yaml:" in first and "'perhaps' is not one of" in first
    assert "Traceback" not in result.output


def test_export_json_to_a_file(runner, tmp_path):
    target = tmp_path / "amparo.json"
    result = runner.invoke(main, ["data", "export", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["format_version"] == 1 and document["support_types"]


def test_export_csv_to_stdout(runner):
    result = runner.invoke(main, ["data", "export", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.startswith("issuer,issuer_name,")


def test_export_to_an_unwritable_place_is_one_clear_line(runner, tmp_path):
    result = runner.invoke(main, ["data", "export", "-o", str(tmp_path / "missing" / "x.json")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: cannot write")


def test_bad_format_is_a_usage_error(runner):
    result = runner.invoke(main, ["data", "export", "--format", "xml"])
    assert result.exit_code == 2 and "Invalid value" in result.output
