"""The team store on PostgreSQL: nothing personal reaches the server in clear, keys are checked, search answers alike.

The repository's own behaviour on this store is tested in test_repository.py (every test
there runs on both stores); here are the properties only the team store has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import typing
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.casebook import CasebookDamaged, Vault
from amparo.casebook import repository as repository_module
from amparo.casebook.errors import TeamKeyError, TeamStoreUnavailable
from amparo.casebook.records import (
    KINDS,
    Case,
    Consent,
    Engagement,
    FollowUp,
    Incident,
    Request,
    RiskAssessment,
    kind_of,
)
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore, create_key_file, open_team_store
from amparo.casebook.team import schema as team_schema
from amparo.casebook.team.keys import TeamKeys
from amparo.casebook.team.sealing import SEALED
from bench.casebook_data import Words
from tests.casebook.conftest import Cluster
from tests.casebook.test_vault import FAST

ME = "officer"
TODAY = dt.date(2026, 11, 25)
CANARY = "Kanarienvogel7Q3zx"  # one word, so the search index holds it as one token
CLEAR_MARK = "clearmark9pz"  # an issuer code: issuers stay in clear, so this one must be found (the control)
# Text fields that stay in clear or must hold a real value (docs/team.md, "What the server can and cannot see").
NOT_SEALED_TEXT = {"id", "case_id", "created_at", "updated_at", "issuer", "mission", "status", "transfer_id"}
LINKS = {"request_id"}  # sealed, but must name a request of the same case
SEALED_CODES = {"purpose": "share-organisation", "relation": "representative", "means": "secure-message"}


def _now() -> dt.datetime:
    return dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def _with_canary(record: typing.Any) -> typing.Any:
    """``record`` with the canary in every text field that is sealed (found from the record's own fields)."""
    hints = typing.get_type_hints(type(record))
    changes: dict[str, object] = {}
    for field in dataclasses.fields(record):
        if field.name in NOT_SEALED_TEXT | LINKS:
            continue
        if hints[field.name] is str:
            changes[field.name] = f"{CANARY} {field.name} {CANARY}"
        elif typing.get_origin(hints[field.name]) is tuple:
            changes[field.name] = (CANARY, f"{CANARY}-{field.name}")
    return dataclasses.replace(record, **changes)


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_pg_dump_data_files_and_wal_hold_no_personal_text(
    postgres: Cluster, team_store: Callable[[], TeamStore]
) -> None:
    book = Casebook(team_store(), now=_now)
    case = book.add(ME, _with_canary(Case(pseudonym="x", subject="individual", country="HN")))
    request = book.add(ME, _with_canary(Request(case.id, CLEAR_MARK, (), answered_on=TODAY)))
    records = [
        _with_canary(Incident(case.id, TODAY, "threats")),
        _with_canary(Engagement(case.id, TODAY, CLEAR_MARK)),
        _with_canary(FollowUp(case.id, TODAY, "x", request_id=request.id)),
        _with_canary(RiskAssessment(case.id, TODAY, 5, 4, 1)),
        # A consent added on its own holds Amparo's words for what was agreed, by whom and how (not a canary):
        # they say what the defender agreed to, and are sealed too (checked below with the canary).
        dataclasses.replace(_with_canary(Consent(case.id, TODAY, "x")), **SEALED_CODES),
    ]
    stored = [case, request, *(book.add(ME, r) for r in records)]
    assert {kind_of(r) for r in stored} == set(KINDS), "a record kind is missing from the canary test"
    book.update(ME, dataclasses.replace(stored[2], place=f"{CANARY} moved"))
    for record in stored:  # every kind reads back whole: the canary was really stored, sealed
        assert CANARY in str(book.get(ME, kind_of(record), record.id))
    assert len(book.search(ME, CANARY)) == len(stored)
    book.timeline(ME, case.id), book.missions(ME), book.follow_ups(ME), book.export_case(ME, case.id)

    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CHECKPOINT")  # the heap files on disk hold the rows, not only the WAL
    dump = postgres.run("pg_dump", "-d", "postgres")
    assert case.id.encode() in dump and CLEAR_MARK.encode() in dump  # the dump is of these records
    places = {"pg_dump": dump}
    places.update({str(path): path.read_bytes() for path in _files(postgres.data)})
    places["server log"] = (postgres.root / "log").read_bytes()
    for needle in {CANARY, CANARY.lower(), CANARY.upper(), *SEALED_CODES.values()}:
        leaks = [where for where, content in places.items() if needle.encode() in content]
        assert leaks == [], f"the canary is readable in {leaks}"
    assert any(CLEAR_MARK.encode() in content for where, content in places.items() if "/base/" in where)
    assert any(case.id.encode() in content for where, content in places.items() if "pg_wal" in where)


def test_a_value_moved_to_another_row_or_column_does_not_decrypt(team_store: Callable[[], TeamStore]) -> None:
    store = team_store()
    book = Casebook(store, now=_now)
    first = book.add(ME, Case(pseudonym="River guardian", subject="community", notes="the first notes"))
    second = book.add(ME, Case(pseudonym="Mountain voice", subject="individual"))
    with store.connection() as conn:
        conn.execute(
            "UPDATE cases SET pseudonym = (SELECT pseudonym FROM cases WHERE id = ?) WHERE id = ?",
            (first.id, second.id),
        )
    with pytest.raises(CasebookDamaged) as moved:
        book.get(ME, "case", second.id)
    assert "River" not in str(moved.value) and "Mountain" not in str(moved.value)
    with store.connection() as conn:
        conn.execute("UPDATE cases SET pseudonym = notes WHERE id = ?", (first.id,))
    with pytest.raises(CasebookDamaged):
        book.get(ME, "case", first.id)
    with pytest.raises(CasebookDamaged):
        book.cases(ME)


def test_a_wrong_missing_damaged_or_open_key_file_is_a_clear_error(postgres: Cluster, tmp_path: Path) -> None:
    url = postgres.url_for(postgres.new_schema())
    right, wrong = tmp_path / "right.key", tmp_path / "wrong.key"
    create_key_file(right)
    create_key_file(wrong)
    store = open_team_store(url, right)
    Casebook(store).add(ME, Case(pseudonym="River guardian", subject="community"))
    store.close()

    def refusal(key_file: Path) -> str:
        with pytest.raises(TeamKeyError) as refused:
            open_team_store(url, key_file)
        message = str(refused.value)
        for secret in (right.read_text().strip(), wrong.read_text().strip()):
            assert secret.split(":")[1] not in message
        return message

    assert "does not open this database" in refusal(wrong)
    assert "no team key file" in refusal(tmp_path / "absent.key")
    damaged = tmp_path / "damaged.key"
    damaged.write_text(right.read_text()[:30])
    damaged.chmod(0o600)
    assert "damaged" in refusal(damaged)
    foreign = tmp_path / "foreign.key"
    foreign.write_text("-----BEGIN PRIVATE KEY-----\n")
    foreign.chmod(0o600)
    assert "not an Amparo team key file" in refusal(foreign)
    right.chmod(0o644)
    assert "chmod 600" in refusal(right)
    right.chmod(0o600)
    assert Casebook(open_team_store(url, right)).cases(ME).total == 1  # the right key still opens it
    with pytest.raises(TeamKeyError, match="not set"):
        open_team_store(url, environ={})


def test_a_key_file_is_private_and_never_replaced(tmp_path: Path) -> None:
    key = tmp_path / "team.key"
    create_key_file(key)
    assert os.stat(key).st_mode & 0o777 == 0o600
    before = key.read_bytes()
    with pytest.raises(TeamKeyError, match="exists already"):
        create_key_file(key)
    assert key.read_bytes() == before
    other = tmp_path / "other.key"
    create_key_file(other)
    assert other.read_bytes() != before


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    key = tmp_path / "team.key"
    create_key_file(key)
    with pytest.raises(TeamStoreUnavailable, match="cannot be reached"):
        open_team_store(f"postgresql://postgres@/postgres?host={tmp_path}/nowhere", key)


def test_a_failed_block_leaves_nothing_half_written(team_store: Callable[[], TeamStore]) -> None:
    store = team_store()
    book = Casebook(store, now=_now)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    with pytest.raises(RuntimeError), store.connection() as conn:
        conn.execute("DELETE FROM access")
        raise RuntimeError("stop half-way")
    assert book.get(ME, "case", case.id) == case


def test_the_schema_check_passes_on_a_migrated_database_and_names_each_drift(
    postgres: Cluster, team_store: Callable[[], TeamStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = team_store()
    with store.connection() as conn:
        assert team_schema.check(conn) == []
        team_schema.migrate(conn)  # again: nothing to do
        assert team_schema.check(conn) == []
    with store.connection() as conn:
        conn.execute("ALTER TABLE incidents DROP COLUMN evidence")
        conn.execute("ALTER TABLE cases ADD COLUMN nickname text")
        problems = team_schema.check(conn)
        assert any("incidents.evidence is missing" in p for p in problems)
        assert any("cases.nickname is not in the code" in p for p in problems)
        conn.rollback()
    monkeypatch.setitem(team_schema.MIGRATIONS, 1, team_schema.MIGRATIONS[1] + "\nCREATE TABLE extra (x integer);")
    with store.connection() as conn:
        assert team_schema.check(conn) == ["migration 1 was changed after it was applied: add a new migration instead"]
    upcoming = team_schema.VERSION + 1
    monkeypatch.setitem(team_schema.MIGRATIONS, upcoming, "CREATE TABLE extra (x integer);")
    monkeypatch.setattr(team_schema, "VERSION", upcoming)
    monkeypatch.setitem(team_schema.MIGRATIONS, 1, team_schema.TABLES)
    with store.connection() as conn:
        assert team_schema.check(conn) == [f"migration {upcoming} is not applied"]


def test_every_sealed_column_is_a_field_of_its_record() -> None:
    for cls, names in SEALED.items():
        assert names <= {f.name for f in dataclasses.fields(cls)}, cls


# -- search: the same records found in the same order on both stores ---------------------


def _same_records(seed: int) -> list[typing.Any]:
    """Cases and their records with texts from the benchmark's vocabulary (accents, Spanish, French, names)."""
    rng = random.Random(seed)
    words = Words(rng, 600)
    out: list[typing.Any] = []
    for _ in range(40):
        case = Case(pseudonym=words.name(), subject="individual", notes=words.text(1, 3))
        out.append(case)
        for _ in range(rng.randrange(6)):
            on = TODAY - dt.timedelta(days=rng.randrange(900))
            if rng.random() < 0.5:
                out.append(Incident("", on, "threats", place=words.text(1, 1)[:60], description=words.text(1, 4)))
            else:
                out.append(
                    Engagement("", on, "ca", roles="focal point", discussed=words.text(1, 3), outcome=words.text(0, 1))
                )
        if rng.random() < 0.5:
            out.append(FollowUp("", on, words.sentence()))
    return out


def _fill(book: Casebook, records: list[typing.Any], ids: random.Random) -> None:
    case_id = ""
    for record in records:
        if not isinstance(record, Case):
            record = dataclasses.replace(record, case_id=case_id)
        stored = book.add(ME, record)
        case_id = stored.id if isinstance(stored, Case) else case_id


def test_search_finds_the_same_records_in_the_same_order_on_both_stores(
    tmp_path: Path, team_store: Callable[[], TeamStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault(tmp_path / "casebook", kdf=FAST)
    vault.create("a long enough passphrase")
    books = {"local": Casebook(vault, now=_now), "team": Casebook(team_store(), now=_now)}
    records = _same_records(7)
    for book in books.values():
        ids = random.Random(11)  # the same ids in both stores: ties are broken by record id
        monkeypatch.setattr(repository_module, "new_id", lambda ids=ids: f"{ids.getrandbits(64):016x}")
        _fill(book, records, ids)
    rng = random.Random(3)
    vocabulary = sorted(
        {
            w
            for r in records
            for w in str(
                getattr(r, "notes", "") or getattr(r, "description", "") or getattr(r, "discussed", "")
            ).split()
        }
    )
    queries = ["the", "de", "la", "Río", "rio", "détention", "DETENTION", "policía", "a", "x", "", "  ", "zzzznothing"]
    queries += rng.sample(vocabulary, 40) + [" ".join(rng.sample(vocabulary, 2)) for _ in range(20)]
    queries += [f"{rng.choice(vocabulary)}, {rng.choice(vocabulary)}." for _ in range(10)]
    # three words and more (the team store sums them in the query's order), and a word typed twice
    queries += [" ".join(rng.sample(vocabulary, 3)) for _ in range(10)] + ["the the", "de la de"]
    compared = 0
    for query in queries:
        for limit in (50, 3):
            local, team = (
                [(h.kind, h.record_id, h.case_id) for h in book.search(ME, query, limit=limit)]
                for book in books.values()
            )
            assert team == local, query
            compared += len(local)
    assert compared > 300  # the queries found plenty, common words among them
    for hit in books["team"].search(ME, "the"):
        assert "the" in hit.snippet.lower().split() or "the" in hit.snippet.lower()


@settings(max_examples=300, deadline=None)
@given(
    value=st.none()
    | st.integers()
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
    | st.sampled_from(['"', '""', "\\", 'say "hi"', "a\\b", " ", "\n", "\u2028", "ñ" * 40])
)
def test_a_sealed_value_opens_as_it_was(value: object) -> None:
    cipher = TeamKeys(b"k" * 32).fields  # strings without an escape skip the JSON parser: the same value either way
    assert cipher.open("cases", "notes", "0" * 16, cipher.seal("cases", "notes", "0" * 16, value)) == value
