"""``amparo letter``: write a request letter to a mission, citing its own guideline, from the command line.

Either name the measures (``--support-type``) or give a situation file (``--plan``) and
the letter asks for the plan's measures that the issuer foresees. Bad input is a calm
line per problem and exit code 2; a file is written atomically, so a reader never sees
half a letter. Nothing is stored or logged.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

import click

from amparo.cli.output import EXIT_DATA, emit, language_option, output_option
from amparo.documents.letter.compose import build_letter
from amparo.documents.letter.from_plan import request_from_plan
from amparo.documents.letter.render import FORMATS, render_letter
from amparo.documents.letter.request import CONSENT, LetterError, parse_letter_request

BINARY = ("pdf", "docx")


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(f"amparo letter: {line}", err=True)
    sys.exit(EXIT_DATA)


@click.command("letter", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--issuer", required=True, help="Issuer to write to: CA, EU, NL… (with --plan: one of the plan's).")
@click.option("--mission", default=None, help="Wikidata id of one of the issuer's missions, e.g. Q5369597.")
@click.option(
    "--support-type", "support_types", multiple=True, help="A measure to ask for (repeat, 1 to 8), e.g. demarche."
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A situation file (as for `amparo navigate`): ask for the plan's measures this issuer foresees.",
)
@click.option("--sender", default=None, help="Your name or a pseudonym (optional).")
@click.option("--organisation", default=None, help="Your organisation (optional).")
@click.option("--contact", default=None, help="How, and by whom, you may be contacted.")
@click.option("--confidential", default=None, help="What must stay confidential.")
@click.option(
    "--public-consent",
    type=click.Choice(CONSENT),
    default=None,
    help="Public action you consent to. Default: none (with --plan: the exposure of the situation).",
)
@click.option("--follow-up", default=None, help='Proposed follow-up, e.g. "a call within two weeks".')
@click.option("--country", default=None, help="Country to name, where the defender works or is now, e.g. KE.")
@click.option("--court", default=None, help="The court that hears the case (told with trial observation).")
@click.option("--hearing-date", default=None, help="Date of the next hearing, YYYY-MM-DD.")
@click.option("--detention-place", default=None, help="Where the defender is held (told with a detention visit).")
@click.option("--facts", default=None, help="What happened, in a few lines.")
@click.option("--date", default=None, help="Date of the letter, YYYY-MM-DD (default: today).")
@language_option("Language of the letter; guideline titles stay in their official language.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="md", show_default=True)
@output_option("File to write; required for pdf and docx (md and html may go to standard output).")
def letter(
    issuer: str,
    mission: str | None,
    support_types: tuple[str, ...],
    plan_file: Path | None,
    sender: str | None,
    organisation: str | None,
    contact: str | None,
    confidential: str | None,
    public_consent: str | None,
    follow_up: str | None,
    country: str | None,
    court: str | None,
    hearing_date: str | None,
    detention_place: str | None,
    facts: str | None,
    date: str | None,
    language: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Write a request letter to a mission that cites the mission's own guideline.

    The letter names the issuer's guideline(s) by title and year, each measure
    asked for with the provision that foresees it (or says plainly that none is
    named), what must stay confidential and whether any public action is
    allowed, with a numbered list of sources. The facts you choose to tell
    (country, court and hearing, place of detention, what happened) are said
    only when given. Measures are asked for in the order given. The letter is
    written in English, Spanish, French, Portuguese or Arabic (--lang), right to
    left in Arabic. Nothing is stored or logged.

    \b
    Example:
        amparo letter --issuer CA --support-type trial-observation \\
            --support-type demarche --public-consent discreet --format pdf -o letter.pdf
        amparo letter --issuer DE --plan situation.yaml --follow-up "a call within two weeks"
        amparo letter --issuer NL --support-type trial-observation --country KE \\
            --court "High Court, Nairobi" --hearing-date 2027-03-14
        amparo letter --issuer FR --support-type demarche --lang fr --format docx -o lettre.docx
    """
    from amparo.guidelines import DataError, get_dataset

    if plan_file is not None and support_types:
        raise click.UsageError("give --support-type or --plan, not both")
    if plan_file is None and not support_types:
        raise click.UsageError("give at least one --support-type, or --plan SITUATION.yaml")
    if fmt in BINARY and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    try:
        dataset = get_dataset()
    except DataError as exc:
        _fail([str(problem) for problem in exc.problems])
    fields = {
        "issuer": issuer,
        "mission": mission,
        "sender": sender,
        "organisation": organisation,
        "contact": contact,
        "confidential": confidential,
        "public_consent": public_consent,
        "follow_up": follow_up,
        "country": country,
        "court": court,
        "hearing_date": hearing_date,
        "detention_place": detention_place,
        "facts": facts,
        "date": date or dt.date.today().isoformat(),
        "language": language,
    }
    try:
        if plan_file is not None:
            request = request_from_plan(_plan(plan_file, dataset), fields, dataset)
        else:
            request = parse_letter_request({**fields, "support_types": list(support_types)}, dataset)
    except LetterError as exc:
        _fail([f"{error.field}: {error.message}" for error in exc.errors])
    body, _content_type, _name = render_letter(build_letter(request, dataset), fmt)
    emit(body, output)


def _plan(path: Path, dataset):
    from amparo.guidelines.yamlfile import YamlSyntaxError, read_yaml
    from amparo.navigator import SituationError, get_rules, make_plan, parse_situation

    try:
        situation = parse_situation(read_yaml(path), dataset)
    except YamlSyntaxError as exc:
        _fail([f"{path}:{exc.line}: {exc}"])
    except SituationError as exc:
        _fail([f"{path}: {error.field}: {error.message}" for error in exc.errors])
    return make_plan(situation, dataset, get_rules(dataset))
