"""Load, validate and index the dataset.

Every problem is collected (not just the first) and reported as
``file:line: message``; a dataset with problems is never half-loaded.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import weakref
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amparo.guidelines import prepared
from amparo.guidelines.errors import DataError
from amparo.guidelines.model import Dataset, Issuer, Provision, Translation

if TYPE_CHECKING:
    from amparo.guidelines.builder import Problems

# The shipped dataset; AMPARO_DATASET points the site and the CLI at a maintainer's working copy.
DATA_DIR = Path(os.environ.get("AMPARO_DATASET") or Path(__file__).resolve().parent / "data")


def _read(path: Path, validator_schema: dict[str, Any], problems: Problems, checked: frozenset[str]) -> Any:
    """Parse and schema-check one file (unless ``checked`` says it passed as it is); None when it has problems."""
    from amparo.guidelines.validate import read_document

    document, found = read_document(path, validator_schema, checked)
    problems.items.extend(found)
    return document


def _schemas(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every data file under ``root`` with the schema it must pass."""
    from amparo.guidelines import schema

    named = [
        ("dataset.yaml", schema.DATASET),
        ("sources.yaml", schema.SOURCES),
        ("taxonomy.yaml", schema.TAXONOMY),
        ("situations.yaml", schema.SITUATIONS),
        ("programmes.yaml", schema.PROGRAMMES),
        ("guidance.yaml", schema.GUIDANCE),
        ("eu-delegations.yaml", schema.DELEGATIONS),
        ("regions.yaml", schema.REGIONS),
    ]
    return [(root / name, shape) for name, shape in named] + [
        (path, schema.ISSUER) for path in sorted((root / "issuers").glob("*.yaml"))
    ]


def record_checks(root: Path, extra: Sequence[tuple[Path, dict[str, Any]]] = ()) -> bool:
    """After a full check found no problem: remember each file's digest, so later loads skip its schema check.

    Returns False when the folder cannot be written (an installed, read-only copy): loads then check in full.
    """
    from amparo.files import write_atomic
    from amparo.guidelines.validate import CHECKED_FILE, checked_digest

    digests = sorted(checked_digest(path.read_bytes(), shape) for path, shape in [*_schemas(root), *extra])
    try:
        write_atomic(root / CHECKED_FILE, ("\n".join(digests) + "\n").encode("ascii"))
    except OSError:
        return False
    return True


def data_key(root: Path) -> bytes | None:
    """The key of the dataset's prepared form (:mod:`amparo.guidelines.prepared`): the data files, the code, and
    the libraries that shape what is built (pycountry's names); None when the folder cannot be read."""
    salt = b""
    for name in ("pycountry", "yaml"):  # found, not imported: pycountry alone takes 45 ms to import
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            origin = os.path.realpath(spec.origin)  # one installation, however the interpreter was reached
            info = os.stat(origin)
            salt += f"{name}\0{origin}\0{info.st_size}\0{info.st_mtime_ns}\0".encode()
    try:
        return prepared.fingerprint(root, salt=salt)
    except OSError:
        return None


def load_dataset(root: Path = DATA_DIR, *, full_check: bool = False) -> Dataset:
    """Read every data file under ``root``; raise :class:`DataError` listing all problems.

    The dataset's prepared form is read instead when no file under ``root`` (nor the code) changed since it was
    written; ``full_check`` always parses and schema-checks every file, as ``amparo data check`` must.
    """
    root = Path(root)
    dataset = prepared.load_or_build(
        Dataset, root, lambda: data_key(root), lambda: parse_dataset(root, full_check=full_check), rebuild=full_check
    )
    key = id(dataset)
    _as_loaded[key] = weakref.ref(dataset, lambda _: _as_loaded.pop(key, None))
    return dataset


# The datasets load_dataset returned, by id: what their root's files say (not one derived from them with replace).
_as_loaded: dict[int, weakref.ref[Dataset]] = {}


def as_loaded(dataset: Dataset) -> bool:
    """Whether ``dataset`` is what its root's files say, as load_dataset returned it: what may be prepared with it."""
    ref = _as_loaded.get(id(dataset))
    return ref is not None and ref() is dataset


def translate(root: Path, documents: Sequence[tuple[Path, Any]], problems: Any) -> dict[str, Translation]:
    """Add to the parsed ``documents`` their current translations from the catalogues under ``root``
    (:mod:`amparo.guidelines.translations`); a catalogue that cannot be read is a problem of the data.
    Returns how much of the texts each language has."""
    from amparo.guidelines.translations import CatalogueError, read_catalogues

    try:
        catalogues = read_catalogues(root)
    except CatalogueError as exc:
        problems.add(exc.path, 1, exc.message)
        return {}
    tally: dict[str, list[int]] = {}
    for path, document in documents:
        if document is not None:
            catalogues.apply(document, path.relative_to(root).as_posix(), tally)
    return {language: Translation(*counts) for language, counts in tally.items()}


def parse_dataset(root: Path, *, full_check: bool = False) -> Dataset:
    """Parse, check and index every data file under ``root``; raise :class:`DataError` listing all problems.

    A file that ``amparo data check`` found to pass its schema, unchanged since, is not
    schema-checked again (``full_check`` checks every file); references are always checked.
    """
    from amparo.guidelines import schema
    from amparo.guidelines.builder import Builder, Problems, inherited_provisions
    from amparo.guidelines.missions import read_delegations, read_missions
    from amparo.guidelines.validate import read_checked
    from amparo.guidelines.yamlfile import line_of

    problems = Problems(root)
    builder = Builder(root, problems)
    checked = frozenset() if full_check else read_checked(root)
    docs = {
        "dataset": _read(root / "dataset.yaml", schema.DATASET, problems, checked),
        "sources": _read(root / "sources.yaml", schema.SOURCES, problems, checked),
        "taxonomy": _read(root / "taxonomy.yaml", schema.TAXONOMY, problems, checked),
        "situations": _read(root / "situations.yaml", schema.SITUATIONS, problems, checked),
        "programmes": _read(root / "programmes.yaml", schema.PROGRAMMES, problems, checked),
        "guidance": _read(root / "guidance.yaml", schema.GUIDANCE, problems, checked),
        "delegations": _read(root / "eu-delegations.yaml", schema.DELEGATIONS, problems, checked),
        "regions": _read(root / "regions.yaml", schema.REGIONS, problems, checked),
    }
    issuer_paths = sorted((root / "issuers").glob("*.yaml"))
    if not issuer_paths:
        problems.add(root / "issuers", 1, "no issuer files")
    issuer_docs = [(path, _read(path, schema.ISSUER, problems, checked)) for path in issuer_paths]
    names = {"delegations": "eu-delegations.yaml"}
    translations = translate(
        root, [*((root / names.get(key, f"{key}.yaml"), doc) for key, doc in docs.items()), *issuer_docs], problems
    )
    core = ("dataset", "sources", "taxonomy", "situations")
    if any(docs[key] is None for key in core):
        raise DataError(problems.items)  # nothing else can be checked without these

    # Files that passed their schema are still checked for references, so that one
    # broken file does not hide the problems of the others.
    builder.load_sources(docs["sources"])
    edition, missions_source = builder.edition(docs["dataset"])
    categories, support_types = builder.taxonomy(docs["taxonomy"])
    situations = builder.situations(docs["situations"])
    issuers: dict[str, Issuer] = {}
    provisions: list[Provision] = []
    guideline_ids: dict[str, str] = {}
    for path, doc in issuer_docs:
        if doc is None:
            continue
        issuer, own = builder.issuer(path, doc, guideline_ids)
        if issuer.id in issuers:
            problems.add(path, line_of(doc, ["id"]), f"duplicate issuer id {issuer.id!r}")
        issuers[issuer.id] = issuer
        provisions.extend(own)
    fields = situations.get("field", {})
    regions = builder.regions(docs["regions"]) if docs["regions"] is not None else {}
    programmes = (
        builder.programmes(docs["programmes"], set(issuers), fields, regions) if docs["programmes"] is not None else {}
    )
    guidance = builder.guidance(docs["guidance"]) if docs["guidance"] is not None else {}
    for key in ("taxonomy", "situations", "programmes", "guidance", "regions"):
        if docs[key] is not None:
            builder.check_languages(docs[key], root / f"{key}.yaml")
    for path, doc in issuer_docs:
        if doc is not None:
            builder.check_languages(doc, path)

    missions_path = root / "missions.csv"
    missions, mission_problems = read_missions(missions_path, problems.display(missions_path))
    problems.items.extend(mission_problems)
    delegations_path = root / "eu-delegations.csv"
    delegations, delegation_problems = read_delegations(delegations_path, problems.display(delegations_path))
    problems.items.extend(delegation_problems)
    delegations_source = None
    if docs["delegations"] is not None:
        delegations, delegations_source = builder.delegations(docs["delegations"], delegations)
        builder.check_languages(docs["delegations"], root / "eu-delegations.yaml")
    missions += delegations
    with_missions = {m.issuer_id for m in missions}
    issuers = {key: replace(issuer, has_mission_data=key in with_missions) for key, issuer in issuers.items()}
    if problems.items:
        raise DataError(problems.items)
    provisions.extend(inherited_provisions(issuers, provisions))
    return Dataset(
        edition=edition,
        sources=builder.sources,
        categories=categories,
        support_types=support_types,
        issuers=issuers,
        provisions=tuple(provisions),
        programmes=programmes,
        guidance=guidance,
        situations=situations,
        missions=tuple(missions),
        missions_source=missions_source,
        delegations_source=delegations_source,
        translations=translations,
        root=root,
    )


_cache: dict[Path, Dataset] = {}
_lock = threading.Lock()


def get_dataset(root: Path = DATA_DIR) -> Dataset:
    """The dataset, loaded once per process (it is immutable).

    Looked up by the path as given first: pages call this hundreds of times per render, and
    resolving the path touches the file system each time.
    """
    given = root if isinstance(root, Path) else Path(root)  # DATA_DIR, on every call but a test's
    cached = _cache.get(given)
    if cached is not None:
        return cached
    resolved = given.resolve()
    with _lock:
        if resolved not in _cache:
            _cache[resolved] = load_dataset(resolved)
        _cache[given] = _cache[resolved]
        return _cache[resolved]
