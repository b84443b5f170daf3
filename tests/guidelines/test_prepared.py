"""The prepared dataset (issue 11): a start reads it instead of every YAML file, and it never changes what loads.

It is read only while every data file, the code and Python are as they were; a corrupt, truncated, foreign or
writable-by-others file is ignored (reading a pickle runs code) and the data are parsed again, without an error.
"""

from __future__ import annotations

import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from amparo.guidelines import DataError, loader, prepared
from amparo.guidelines.export import to_json
from amparo.guidelines.model import Dataset
from amparo.navigator import get_rules, load_rules
from amparo.navigator import rules as rules_module


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own cache directory."""
    monkeypatch.setenv("AMPARO_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the loader parsed (rather than read prepared)."""
    seen: list[Path] = []
    original = loader.parse_dataset

    def counting(root: Path, **kwargs: bool) -> Dataset:
        seen.append(root)
        return original(root, **kwargs)

    monkeypatch.setattr(loader, "parse_dataset", counting)
    return seen


def prepared_file(root: Path) -> Path:
    return prepared.location("dataset", root)


def test_a_second_start_reads_the_prepared_form_which_equals_a_fresh_parse(data_copy: Path, parses: list) -> None:
    first = loader.load_dataset(data_copy)
    assert parses == [data_copy]
    again = loader.load_dataset(data_copy)
    assert parses == [data_copy], "the second load parsed the YAML again"
    assert again is not first
    assert to_json(again) == to_json(loader.parse_dataset(data_copy))
    assert again == first and again.root == data_copy
    assert again.missions_serving("PH") == first.missions_serving("PH")
    assert again.provisions_for("visit") == first.provisions_for("visit")


def test_the_prepared_file_is_private_to_the_user(data_copy: Path, own_cache: Path) -> None:
    loader.load_dataset(data_copy)
    assert own_cache.stat().st_mode & 0o777 == 0o700
    assert prepared_file(data_copy).stat().st_mode & 0o777 == 0o600
    assert not any(data_copy.rglob("*.pickle")), "nothing is written into the data folder"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [("missions.csv", ",Kabul,", ",Kabul Changed,"), ("sources.yaml", "(draft Council", "(a changed draft Council")],
)
def test_a_changed_data_file_is_parsed_again(data_copy: Path, parses: list, name: str, old: str, new: str) -> None:
    loader.load_dataset(data_copy)
    path = data_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    changed = loader.load_dataset(data_copy)
    assert len(parses) == 2
    if name == "missions.csv":
        assert "Kabul Changed" in {m.city for m in changed.missions}
    else:
        assert "changed draft" in str(changed.sources["S1"].label)
    assert loader.load_dataset(data_copy) is not changed and len(parses) == 2, "the new form is prepared in turn"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda b: b"garbage" * 100,
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[: len(prepared.MAGIC) + 32] + b"\x80\x05garbage",  # the right key, a broken pickle
        lambda b: b"",
        lambda b: b[:10] + bytes([b[10] ^ 1]) + b[11:],  # another key
    ],
    ids=["garbage", "truncated", "broken-pickle", "empty", "other-key"],
)
def test_a_corrupt_prepared_file_is_ignored_and_rebuilt(data_copy: Path, parses: list, spoil) -> None:  # type: ignore[no-untyped-def]
    expected = to_json(loader.load_dataset(data_copy))
    path = prepared_file(data_copy)
    path.write_bytes(spoil(path.read_bytes()))
    assert to_json(loader.load_dataset(data_copy)) == expected
    assert len(parses) == 2
    loader.load_dataset(data_copy)
    assert len(parses) == 2, "rebuilt: the next start reads it again"


def _planted(path: Path, key: bytes, marker: Path) -> None:
    """A prepared file that runs code when unpickled (creates ``marker``), with the right key."""

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.mkdir, (str(marker),))

    path.write_bytes(prepared.MAGIC + key + pickle.dumps(Payload()))


@pytest.mark.parametrize("unsafe", ["file-writable-by-others", "folder-writable-by-others", "other-owner", "symlink"])
def test_an_unsafe_prepared_file_is_never_unpickled(
    data_copy: Path, parses: list, tmp_path: Path, own_cache: Path, unsafe: str
) -> None:
    loader.load_dataset(data_copy)
    path, marker = prepared_file(data_copy), tmp_path / "code-ran"
    key = loader.data_key(data_copy)
    assert key is not None
    _planted(path, key, marker)
    if unsafe == "file-writable-by-others":
        path.chmod(0o666)
    elif unsafe == "folder-writable-by-others":
        path.chmod(0o600)
        own_cache.chmod(0o777)
    elif unsafe == "other-owner":
        if os.geteuid() != 0:
            pytest.skip("needs root to give the file away")
        os.chown(path, 65534, -1)
        path.chmod(0o600)
    else:
        target = tmp_path / "elsewhere.pickle"
        path.rename(target)
        target.chmod(0o600)
        path.symlink_to(target)
    assert loader.load_dataset(data_copy).issuers
    assert not marker.exists(), "the planted pickle ran"
    assert len(parses) == 2


def test_the_planted_file_would_run_if_it_were_safe(data_copy: Path, tmp_path: Path) -> None:
    """The check of the test above: with a private file, the same payload is unpickled (so it could fail)."""
    loader.load_dataset(data_copy)
    path, marker = prepared_file(data_copy), tmp_path / "code-ran"
    key = loader.data_key(data_copy)
    assert key is not None
    _planted(path, key, marker)
    path.chmod(0o600)
    loader.load_dataset(data_copy)  # not a Dataset: ignored after all, and parsed
    assert marker.exists()


def test_a_data_check_always_parses(data_copy: Path, parses: list) -> None:
    loader.load_dataset(data_copy)
    loader.load_dataset(data_copy, full_check=True)
    assert len(parses) == 2


def test_an_unwritable_cache_only_costs_the_parse(data_copy: Path, parses: list, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AMPARO_CACHE_DIR", "/proc/no-such-place")
    assert loader.load_dataset(data_copy).issuers and loader.load_dataset(data_copy).issuers
    assert len(parses) == 2


def test_the_key_covers_the_code_and_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("a: 1\n")
    code = tmp_path / "model.py"
    code.write_text("A = 1\n")
    before = prepared.fingerprint(tmp_path / "data", [code])
    code.write_text("A = 2\n")
    assert prepared.fingerprint(tmp_path / "data", [code]) != before
    code.write_text("A = 1\n")
    assert prepared.fingerprint(tmp_path / "data", [code]) == before
    monkeypatch.setattr(sys, "version", "3.99.0")
    assert prepared.fingerprint(tmp_path / "data", [code]) != before


def test_the_rule_book_is_prepared_too_with_the_datasets_own_sources(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Path] = []
    original = rules_module.load_rules

    def counting(dataset: Dataset, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(dataset.root)
        return original(dataset, *args, **kwargs)

    monkeypatch.setattr(rules_module, "load_rules", counting)
    get_rules(loader.load_dataset(data_copy))
    dataset = loader.load_dataset(data_copy)
    book = get_rules(dataset)
    assert len(built) == 1, "the second start parsed rules.yaml again"
    assert book == load_rules(dataset)
    cited = [c.source for rule in book.rules for e in rule.exclude for c in e.citations]
    assert cited and all(source is dataset.sources[source.id] for source in cited)

    path = data_copy / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    get_rules(loader.load_dataset(data_copy))
    assert len(built) == 2


def test_a_dataset_changed_in_code_has_its_rule_book_checked_against_it(data_copy: Path) -> None:
    """A dataset derived with replace() is not what its folder says: its rules are read and checked against it."""
    dataset = loader.load_dataset(data_copy)
    named = get_rules(dataset).checklist[0]
    derived = replace(dataset, guidance={k: v for k, v in dataset.guidance.items() if k != named})
    with pytest.raises(DataError, match=f"unknown guidance item {named!r}"):
        get_rules(derived)


def test_the_key_covers_every_data_file_but_not_hidden_folders(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "issuers").mkdir(parents=True)
    (data / ".git").mkdir()
    (data / "issuers" / "XX.yaml").write_text("id: XX\n")
    before = prepared.fingerprint(data, [])
    (data / ".git" / "index").write_text("a working copy's own files\n")
    assert prepared.fingerprint(data, []) == before
    (data / "issuers" / "XX.yaml").write_text("id: XY\n")
    assert prepared.fingerprint(data, []) != before
