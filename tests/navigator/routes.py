"""A copy of the dataset with contact routes of its own, for the tests of the emergency track (programmes.yaml
itself holds the routes read on each organisation's own page; here they are replaced, so that the tests do not
change with the data).

The routes are made up (example.org, +00 numbers): they test the navigator, not the data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from amparo.guidelines import DATA_DIR, load_dataset
from amparo.guidelines.model import Dataset

ROUTES = {
    # web first in the file, a line second: the line must still put the programme first
    "protectdefenders-eu": """  contacts:
    - kind: form
      value: "https://example.org/protectdefenders-eu/urgent-form"
      label: {en: "Secure emergency form", es: "Formulario de emergencia seguro"}
      page: "https://example.org/protectdefenders-eu/contact#emergency"
      checked: 2026-12-01
    - kind: phone
      value: "+00 (0) 1 000 0001"
      label: {en: "24-hour helpline"}
      page: "https://example.org/protectdefenders-eu/contact#emergency"
      checked: 2026-12-01
""",
    "front-line-defenders": """  contacts:
    - kind: messenger
      value: "+00 1 000 0002"
      label: {en: "Signal"}
      page: "https://example.org/front-line-defenders/contact#emergency"
      checked: 2026-12-02
    - kind: email
      value: "urgent@example.org"
      page: "https://example.org/front-line-defenders/contact#emergency"
      checked: 2026-12-02
""",
    "digital-defenders-partnership": """  scope: digital
  contacts:
    - kind: web
      value: "https://example.org/digital-defenders-partnership/help"
      page: "https://example.org/digital-defenders-partnership/contact#emergency"
      checked: 2026-12-03
""",
    # observatory-protection-hrds: an emergency programme left with no route
}
UNREACHABLE = "observatory-protection-hrds"
DIGITAL_ONLY = "digital-defenders-partnership"


def _without_routes(text: str) -> str:
    """programmes.yaml with every programme's own routes and scope taken out: this copy's routes are the only ones."""
    kept, in_contacts = [], False
    for line in text.split("\n"):
        if line.startswith("  contacts:"):
            in_contacts = True
            continue
        if in_contacts and line.startswith("    "):
            continue
        in_contacts = False
        if not line.startswith("  scope:"):
            kept.append(line)
    return "\n".join(kept)


def write_routed_data(target: Path) -> Path:
    """A copy of the dataset folder in ``target`` where three emergency programmes have routes."""
    shutil.copytree(DATA_DIR, target)
    path = target / "programmes.yaml"
    text = _without_routes(path.read_text(encoding="utf-8"))
    for programme_id, block in ROUTES.items():
        start = text.index(f"- id: {programme_id}\n")
        at = text.index("  emergency: true\n", start) + len("  emergency: true\n")
        text = text[:at] + block + text[at:]
    path.write_text(text, encoding="utf-8")
    return target


def routed_dataset(target: Path) -> Dataset:
    return load_dataset(write_routed_data(target))
