"""Read one YAML data file and check it against its JSON Schema, with lines for every problem.

Shared by the dataset loader and the navigator's rule file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from amparo.guidelines.errors import DataProblem
from amparo.guidelines.yamlfile import YamlSyntaxError, line_of, read_yaml


def display_path(path: Path) -> str:
    """The path as a maintainer would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_document(path: Path, schema: dict) -> tuple[Any, list[DataProblem]]:
    """Parse and schema-check one file: ``(document, [])``, or ``(None, problems)``."""
    shown = display_path(path)
    if not path.is_file():
        return None, [DataProblem(shown, 1, "file is missing")]
    try:
        document = read_yaml(path)
    except YamlSyntaxError as exc:
        return None, [DataProblem(shown, exc.line, str(exc))]
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
