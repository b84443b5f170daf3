"""What ``amparo data check`` says of the translations: coverage per language and catalogue, and changed facts."""

from __future__ import annotations

from pathlib import Path

import click


def report_coverage(root: Path) -> bool:
    """Print the coverage of every language; print and return False for a translation that changes a number."""
    from amparo.guidelines.translations import changed_numbers, coverage, english_texts, read_catalogues
    from amparo.guidelines.words import interface_state

    catalogues = read_catalogues(root)
    texts = english_texts(root)  # every data file read once, for the coverage and the numbers alike
    rows = coverage(root, catalogues, texts)
    good = True
    english = {context: text for items in texts.values() for context, text in items}
    for language, entries in sorted(catalogues.entries.items()):
        for context, entry in entries.items():
            source = english.get(context)
            if source is None or entry.fuzzy or entry.english != source or not entry.text:
                continue
            lost = changed_numbers(source, entry.text)
            if lost:
                good = False
                click.echo(f"{language}: {context}: the translation lacks {', '.join(lost)} of the English", err=True)
    for language in catalogues.languages:
        own = [row for row in rows if row.language == language]
        total = sum(r.total for r in own)
        done = sum(r.translated for r in own)
        stale = sum(r.stale for r in own)
        drafts = sum(r.drafts for r in own)
        line = f"{language}: data {done}/{total} texts ({100 * done / total if total else 100:.1f}%)"
        line += f", {stale} stale, {drafts} drafts"
        interface = interface_state(language)
        if interface is not None:
            itotal, idone, istale, _ = interface
            line += f"; interface {idone}/{itotal} ({100 * idone / itotal if itotal else 100:.1f}%), {istale} stale"
        click.echo(line)
        for row in own:
            if row.translated < row.total or row.orphans:
                click.echo(
                    f"  {row.catalogue}: {row.translated}/{row.total}, {row.stale} stale, {row.missing} missing"
                    + (f", {row.orphans} for texts no longer in the data" if row.orphans else "")
                )
    if not good:
        click.echo("translations that change a fact of the English (a number) must be corrected", err=True)
    return good
