"""Moving a case between casebooks (issue 13, item 7): local → team → local keeps every record and field, the
consent travels and is recorded on each side, and a hostile or repeated file is refused with nothing written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from amparo.casebook import Vault
from amparo.casebook import transfer as transfer_module
from amparo.casebook.errors import (
    ConsentPermanent,
    TransferAlreadyImported,
)
from amparo.casebook.permissions import RecordNotFound
from amparo.casebook.records import (
    CASE_RECORD_KINDS,
    Case,
    Consent,
    Engagement,
    FollowUp,
    Incident,
    Request,
    RiskAssessment,
    columns,
)
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore
from amparo.casebook.transfer import Transfer, new_transfer_id, open_sealed, parse, seal
from tests.casebook.test_vault import FAST

DEFENDER, OFFICER = "local", "p-" + "1" * 32
DAY = dt.date(2026, 11, 2)


def local_book(tmp_path: Path, name: str = "casebook") -> Casebook:
    vault = Vault(tmp_path / name, kdf=FAST)
    vault.create("a long enough passphrase")
    return Casebook(vault)


def full_case(book: Casebook, who: str = DEFENDER, pseudonym: str = "River guardian") -> Case:
    case = book.add(who, Case(pseudonym=pseudonym, subject="community", country="HN", notes="Notes\nwith two lines"))
    request = book.add(who, Request(case.id, "CA", ("trial-observation",), drafted_on=DAY, notes="Asked by letter"))
    for record in (
        Incident(case.id, DAY, "threats", "company", "Near the river", "Told to stop.", "Photos with Ana"),
        Engagement(case.id, DAY, "DE", "", "meeting", "focal point", "The trial", ("trial-observation",), "Will come"),
        FollowUp(case.id, DAY + dt.timedelta(days=9), "Ask about the trial date", request_id=request.id),
        RiskAssessment(case.id, DAY, 4, 4, 2, "Rising"),
    ):
        book.add(who, record)
    return case


def consent_to(purpose: str, recipient: str = "Team of the NGO") -> Consent:
    return Consent("", DAY, "The defender, by her pseudonym", "defender", purpose, recipient, "in-person", "Agreed.")


def receipt(by: str = "Maria, protection officer") -> Consent:
    return Consent("", DAY, by, "officer", "received", "", "transfer-file")


def without_ids(moved: Transfer | dict) -> dict:
    """Every record's fields but its ids (the importer gives new ones), by kind; the request links as positions."""
    records = moved.records if isinstance(moved, Transfer) else moved

    def own(record: object) -> str:
        return repr({k: v for k, v in dataclasses.asdict(record).items() if k not in ("id", "case_id")})

    requests = {r.id: own(r) for r in records["request"]}
    out = {}
    for kind in CASE_RECORD_KINDS:
        rows = []
        for record in records.get(kind, ()):
            fields = {k: v for k, v in dataclasses.asdict(record).items() if k not in ("id", "case_id")}
            if fields.get("request_id"):
                fields["request_id"] = requests[fields["request_id"]]
            rows.append(fields)
        out[kind] = sorted(rows, key=repr)
    return out


def stored(book: Casebook, who: str, case_id: str) -> dict:
    return {kind: book.records(who, case_id, kind) for kind in CASE_RECORD_KINDS}


def test_local_to_team_and_back_keeps_every_record_and_records_each_consent(
    tmp_path: Path, team_store: Callable[[], TeamStore]
) -> None:
    here, team = local_book(tmp_path), Casebook(team_store())
    team_key = x25519.Identity.generate()
    case = full_case(here)
    first = new_transfer_id()
    moved = here.move_out(DEFENDER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id=first))
    sealed = seal(moved, recipients=[str(team_key.to_public())])
    assert b"River guardian" not in sealed and b"move-to-team" not in sealed
    arrived = open_sealed(sealed, identity=str(team_key))
    assert arrived == moved and arrived.consent is not None and arrived.consent.agreed_by.startswith("The defender")

    on_team = team.import_case(OFFICER, arrived, receipt())
    assert team.assignees(OFFICER, on_team.id) == [(OFFICER, "owner")]
    assert dataclasses.replace(on_team, id="") == dataclasses.replace(case, id="")
    team_records = stored(team, OFFICER, on_team.id)
    by_purpose = {c.purpose: c for c in team_records["consent"]}
    assert sorted(by_purpose) == ["move-to-team", "received"] and len(team_records["consent"]) == 2
    got = by_purpose["received"]
    assert (got.agreed_by, got.given_on, got.transfer_id) == ("Maria, protection officer", DAY, first)
    with pytest.raises(TransferAlreadyImported):
        team.import_case(OFFICER, arrived, receipt())

    back = new_transfer_id()
    leaving = team.move_out(
        OFFICER, on_team.id, dataclasses.replace(consent_to("move-to-casebook", "Her own"), transfer_id=back)
    )
    again = open_sealed(seal(leaving, passphrase="another long passphrase"), passphrase="another long passphrase")
    home = local_book(tmp_path, "new-laptop")
    returned = home.import_case(DEFENDER, again, receipt("Me"))
    final = stored(home, DEFENDER, returned.id)
    original = stored(here, DEFENDER, case.id)
    assert without_ids({k: v for k, v in final.items() if k != "consent"}) == without_ids(
        {k: v for k, v in original.items() if k != "consent"}
    )
    assert len(final["consent"]) == 4  # to the team, received there, to a casebook, received here
    follow_up = final["follow-up"][0]
    assert follow_up.request_id == final["request"][0].id  # the link follows its request's new id
    assert set(home.search(DEFENDER, "river")) and home.timeline(DEFENDER, returned.id)
    kinds = {(e.action, e.kind) for e in home.audit(DEFENDER)}
    assert ("import", "case") in kinds and ("create", "consent") in kinds


def test_a_consent_is_never_changed_or_deleted_on_its_own(tmp_path: Path) -> None:
    book = local_book(tmp_path)
    case = full_case(book)
    moved = book.move_out(DEFENDER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id="a" * 32))
    consent = moved.consent
    assert consent is not None
    with pytest.raises(ConsentPermanent):
        book.update(DEFENDER, dataclasses.replace(consent, agreed_by="someone else"))
    with pytest.raises(ConsentPermanent):
        book.delete(DEFENDER, "consent", consent.id)
    with book.vault.connection() as conn, pytest.raises(Exception, match="never changed"):
        conn.execute("UPDATE consents SET agreed_by = 'x'")
    book.delete(DEFENDER, "case", case.id)  # with its case, it goes
    with pytest.raises(RecordNotFound):
        book.get(DEFENDER, "consent", consent.id)


def test_a_stranger_cannot_move_a_case_out(tmp_path: Path) -> None:
    book = local_book(tmp_path)
    case = full_case(book)
    with pytest.raises(RecordNotFound):
        book.move_out("someone-else", case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id="b" * 32))
    assert book.records(DEFENDER, case.id, "consent") == []


def test_an_old_casebook_gains_the_consents_table(tmp_path: Path) -> None:
    from amparo.casebook import schema

    vault = Vault(tmp_path / "old", kdf=FAST)
    vault.create("a long enough passphrase")
    with vault.connection() as conn:  # as version 1 left it: no consents table
        for statement in schema.MIGRATIONS[1].split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
    book = Casebook(vault)
    case = full_case(book)
    assert book.records(DEFENDER, case.id, "consent") == []
    with vault.connection() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION >= 2
        with pytest.raises(sqlcipher3.IntegrityError):
            conn.execute(
                "INSERT INTO consents (id, case_id, given_on, agreed_by, relation, purpose, means, created_at,"
                " updated_at) VALUES ('x', ?, '2026-01-01', 'a', 'a stranger', 'move-to-team', 'phone', '', '')",
                (case.id,),
            )


# -- a property over generated cases ----------------------------------------------------------------

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40)
line = text.filter(lambda s: s.strip())
day = st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))
code = st.from_regex(r"[A-Za-z0-9][a-z0-9-]{0,10}", fullmatch=True)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, list]:
    case = Case(draw(line), draw(code), draw(st.just("") | code), "", draw(text), draw(st.booleans()))
    records: list = []
    for _ in range(draw(st.integers(0, 3))):
        records.append(Incident("", draw(day), draw(code), "company", draw(text), draw(text), draw(text)))
    for _ in range(draw(st.integers(0, 2))):
        records.append(
            Request("", draw(code), tuple(draw(st.lists(code, max_size=3))), drafted_on=draw(day | st.none()))
        )
    for _ in range(draw(st.integers(0, 2))):
        records.append(FollowUp("", draw(day), draw(line), "", draw(day | st.none())))
    for _ in range(draw(st.integers(0, 2))):
        ratings = draw(st.tuples(*[st.integers(1, 5)] * 3))
        records.append(RiskAssessment("", draw(day), *ratings, draw(text)))
    return case, records


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=cases(), agreed_by=line, linked=st.booleans())
def test_any_case_survives_the_move_field_for_field(tmp_path_factory, generated, agreed_by, linked) -> None:
    root = tmp_path_factory.mktemp("moved")
    source, target = local_book(root, "source"), local_book(root, "target")
    case, records = generated
    stored_case = source.add(DEFENDER, case)
    request_ids = []
    for record in records:
        if isinstance(record, FollowUp) and linked and request_ids:
            record = dataclasses.replace(record, request_id=request_ids[0])
        added = source.add(DEFENDER, dataclasses.replace(record, case_id=stored_case.id))
        if isinstance(added, Request):
            request_ids.append(added.id)
    consent = Consent("", DAY, agreed_by, "representative", "move-to-team", "", "phone", transfer_id=new_transfer_id())
    moved = source.move_out(DEFENDER, stored_case.id, consent)
    assert parse(transfer_module.dump(moved)) == moved
    landed = target.import_case(DEFENDER, parse(transfer_module.dump(moved)), receipt())
    assert {f: getattr(landed, f) for f in columns(Case) if f != "id"} == {
        f: getattr(stored_case, f) for f in columns(Case) if f != "id"
    }
    here, there = stored(source, DEFENDER, stored_case.id), stored(target, DEFENDER, landed.id)
    there["consent"] = [c for c in there["consent"] if c.purpose != "received"]
    assert without_ids(there) == without_ids(here)


def test_an_imported_case_leaves_no_text_in_the_team_database(
    tmp_path: Path, postgres, team_store: Callable[[], TeamStore]
) -> None:
    """The pg_dump canary (test_team_store.py), after an import: every sealed field of every kind holds it."""
    import psycopg

    from amparo.casebook.transfer import CODES, WORDS
    from tests.casebook.test_team_store import CANARY, _files, _with_canary

    def canary(record):
        """The canary in every sealed field, as a file may hold it: one word in a code, a known word in a word."""
        record = _with_canary(record)
        fields = {f: CANARY for f in CODES if hasattr(record, f) and f not in ("issuer", "mission")}
        fields |= {f: next(iter(words)) for f, words in WORDS.items() if hasattr(record, f)}
        if hasattr(record, "support_types"):
            fields["support_types"] = (CANARY,)
        return dataclasses.replace(record, **fields)

    source = local_book(tmp_path)
    case = source.add(DEFENDER, canary(Case(pseudonym="x", subject="individual")))
    request = source.add(DEFENDER, canary(Request(case.id, "CA", ())))
    for record in (
        Incident(case.id, DAY, "threats"),
        Engagement(case.id, DAY, "DE"),
        dataclasses.replace(canary(FollowUp(case.id, DAY, "x")), request_id=request.id),
        RiskAssessment(case.id, DAY, 5, 4, 1, CANARY),
    ):
        source.add(DEFENDER, canary(record) if not isinstance(record, FollowUp) else record)
    consent = canary(Consent(case.id, DAY, "x", transfer_id="f" * 32))
    team_key = x25519.Identity.generate()
    sealed = seal(source.move_out(DEFENDER, case.id, consent), recipients=[str(team_key.to_public())])
    team = Casebook(team_store())
    imported = team.import_case(OFFICER, open_sealed(sealed, identity=str(team_key)), receipt(f"{CANARY} received"))
    assert sum(len(v) for v in stored(team, OFFICER, imported.id).values()) == 7
    assert len(team.search(OFFICER, CANARY)) == 8  # the case and its seven records: the canary was stored
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CHECKPOINT")
    places = {"pg_dump": postgres.run("pg_dump", "-d", "postgres")}
    places.update({str(path): path.read_bytes() for path in _files(postgres.data)})
    for needle in {CANARY, CANARY.lower(), CANARY.upper()}:
        assert [where for where, content in places.items() if needle.encode() in content] == []
    assert imported.id.encode() in places["pg_dump"]


def test_a_team_database_of_the_previous_version_gains_the_consents(postgres, tmp_path: Path) -> None:
    import psycopg

    from amparo.casebook.team import create_key_file, open_team_store
    from amparo.casebook.team import schema as team_schema
    from amparo.casebook.team.store import TeamConnection

    name = postgres.new_schema()
    with psycopg.connect(postgres.url_for(name)) as raw:  # as migrations 1 and 2 left a database
        conn = TeamConnection(raw, None)
        team_schema._applied(conn)
        for version in (1, 2):
            for statement in team_schema.statements(team_schema.MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO amparo_schema (version, digest) VALUES (?, ?)", (version, team_schema.digest(version))
            )
        assert team_schema.check(conn) == [f"migration {v} is not applied" for v in range(3, team_schema.VERSION + 1)]
    create_key_file(tmp_path / "team.key")
    store = open_team_store(postgres.url_for(name), tmp_path / "team.key")
    try:
        book = Casebook(store)
        case = full_case(book, OFFICER)
        moved = book.move_out(OFFICER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id="1" * 32))
        assert moved.consent is not None
        with store.connection() as conn:
            assert team_schema.check(conn) == []
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="never changed"):
                conn.execute("UPDATE consents SET given_on = '2000-01-01'")
    finally:
        store.close()
