"""`amparo navigate` starts without what it does not use: the casebook, the documents, the schema checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from amparo.cli import LAZY_COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
SITUATION = {"country": "PH", "subject": "community", "urgency": "attacked", "exposure": "public"}
NOT_NEEDED = ("amparo.casebook", "amparo.documents", "amparo.web", "django", "typst", "jsonschema", "pyrage")


def test_navigate_imports_neither_casebook_nor_documents_nor_django(tmp_path):
    situation = tmp_path / "situation.json"
    situation.write_text(json.dumps(SITUATION), encoding="utf-8")
    code = (
        "import sys\n"
        "from amparo.cli import main\n"
        f"main(['navigate', {str(situation)!r}, '--format', 'json'], standalone_mode=False)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {{'django', 'typst', 'jsonschema', 'pyrage'}}"
        f" or m.startswith({NOT_NEEDED[:3]!r}))\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert '"format_version": 2' in result.stdout
    assert "LOADED []" in result.stdout, result.stdout[-500:]


def test_every_command_is_listed_and_runs_its_help():
    listed = CliRunner().invoke(main, ["--help"])
    assert listed.exit_code == 0
    for name in LAZY_COMMANDS:
        assert name in listed.output
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, (name, result.output)
