"""Typst, the one way Amparo makes PDFs: escape user and data text, compile in memory.

Text from a form or the dataset is never spliced into Typst markup raw: it is
passed as data (``sys_inputs``, read with ``json``) or escaped with :func:`escape`,
so a ``#`` or ``]`` typed by a person cannot run Typst code.
"""

from __future__ import annotations

import json
from pathlib import Path

import typst as _typst

TEMPLATES = Path(__file__).resolve().parent / "typst"

_SPECIAL = set('\\#*_`$<>@[]~/=-+"')


def escape(text: str) -> str:
    """Text shown literally in Typst markup mode."""
    return "".join(f"\\{c}" if c in _SPECIAL else c for c in text)


def compile_pdf(template: str, data: dict) -> bytes:
    """Compile ``typst/<template>.typ`` with ``data`` available as ``json(bytes(sys.inputs.data))``."""
    source = TEMPLATES / f"{template}.typ"
    return _typst.compile(
        str(source),
        root=str(TEMPLATES),
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        format="pdf",
    )
