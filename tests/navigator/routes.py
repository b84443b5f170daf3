"""A copy of the dataset with contact routes, for the tests of the emergency track (programmes.yaml itself is
filled in from each organisation's own page, and may hold few routes or none at a given time).

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
    # lifeline-embattled-cso-assistance-fund: an emergency programme left with no route
}
UNREACHABLE = "lifeline-embattled-cso-assistance-fund"
DIGITAL_ONLY = "digital-defenders-partnership"


def write_routed_data(target: Path) -> Path:
    """A copy of the dataset folder in ``target`` where three emergency programmes have routes."""
    shutil.copytree(DATA_DIR, target)
    path = target / "programmes.yaml"
    text = path.read_text(encoding="utf-8")
    for programme_id, block in ROUTES.items():
        start = text.index(f"- id: {programme_id}\n")
        at = text.index("  emergency: true\n", start) + len("  emergency: true\n")
        text = text[:at] + block + text[at:]
    path.write_text(text, encoding="utf-8")
    return target


def routed_dataset(target: Path) -> Dataset:
    return load_dataset(write_routed_data(target))
