"""Read one YAML data file and check it against its JSON Schema, with lines for every problem.

Shared by the dataset loader and the navigator's rule file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from amparo.guidelines.errors import DataProblem
from amparo.guidelines.yamlfile import YamlSyntaxError, line_of, read_yaml


def display_path(path: Path) -> str:
    """The path as a maintainer would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def checked_digest(content: bytes, schema: dict) -> str:
    """What a passed schema check is remembered by: the file's bytes and the schema it passed, hashed."""
    digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


CHECKED_FILE = "schema-checked.txt"  # beside the data files: one digest per file that passed its schema


def read_checked(root: Path) -> frozenset[str]:
    """The digests of the files under ``root`` that ``amparo data check`` last found to pass their schema."""
    try:
        text = (root / CHECKED_FILE).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if len(line.strip()) == 64)


def read_document(path: Path, schema: dict, checked: Collection[str] = ()) -> tuple[Any, list[DataProblem]]:
    """Parse and schema-check one file: ``(document, [])``, or ``(None, problems)``.

    A file whose :func:`checked_digest` is in ``checked`` passed this very schema already
    (``amparo data check`` records them), so the check is not run again: it is most of the
    time a command takes to start. Any change to the file or the schema runs it.
    """
    shown = display_path(path)
    if not path.is_file():
        return None, [DataProblem(shown, 1, "file is missing")]
    try:
        document = read_yaml(path)
    except YamlSyntaxError as exc:
        return None, [DataProblem(shown, exc.line, str(exc))]
    if checked and checked_digest(path.read_bytes(), schema) in checked:
        return document, []
    from jsonschema import Draft202012Validator, FormatChecker  # only here: a checked file loads without it (~90 ms)

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = list(error.absolute_path)
        field = ".".join(str(p) for p in where) or "document"
        problems.append(DataProblem(shown, line_of(document, where), f"{field}: {_message(error)}"))
    return (None if problems else document), problems


def _message(error) -> str:
    if error.validator == "required":
        return error.message.replace(" is a required property", " is required")
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    return error.message
