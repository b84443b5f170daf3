"""`amparo navigate`: a defender's situation, from a YAML file, turned into a plan in the terminal or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from amparo.cli.output import EXIT_DATA, language_option, load_or_exit


@click.command()
@click.argument("situation_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md", "json-v1"]), default="text", show_default=True
)
@click.option(
    "--issuers",
    type=click.Choice(["compact", "full"]),
    default="compact",
    show_default=True,
    help="JSON: count the EU member States that foresee a measure only through the EU Guidelines, or list each.",
)
@language_option("Language of the plan: its words and the dataset's texts (ids and sources stay as they are).")
def navigate(situation_file: Path, fmt: str, issuers: str, language: str) -> None:
    """Turn a defender's situation (a YAML file) into a cited, risk-aware plan.

    The file names the fields of the situation: country, subject, urgency,
    exposure, and optionally location, fields, threats, needs, family_at_risk,
    unhcr_registered, uses_violence. Nothing is stored or logged. The JSON is
    the API's: format 2 as POST /api/v2/plan gives it; json-v1 is format 1,
    as the deprecated POST /api/v1/plan.

    \b
    Example:
        amparo navigate situation.yaml --format md
        amparo navigate situation.yaml --lang es
    """
    from amparo.guidelines.yamlfile import YamlSyntaxError, read_yaml
    from amparo.navigator import SituationError, get_rules, make_plan, parse_situation

    dataset = load_or_exit()
    try:
        situation = parse_situation(read_yaml(situation_file), dataset)
    except YamlSyntaxError as exc:
        raise click.ClickException(f"{situation_file}:{exc.line}: {exc}") from None
    except SituationError as exc:
        for error in exc.errors:
            click.echo(f"{situation_file}: {error.field}: {error.message}", err=True)
        sys.exit(EXIT_DATA)
    plan = make_plan(situation, dataset, get_rules(dataset))
    if fmt == "json":
        from amparo.navigator.compact import plan_json_compact

        click.echo(json.dumps(plan_json_compact(plan, language, issuers), ensure_ascii=False, indent=2))
        return
    from amparo.navigator.render import plan_json, plan_markdown, plan_text

    if fmt == "json-v1":
        click.echo(json.dumps(plan_json(plan, language), ensure_ascii=False, indent=2))
    else:
        click.echo(plan_markdown(plan, language) if fmt == "md" else plan_text(plan, language), nl=False)
