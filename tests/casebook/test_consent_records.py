"""A consent recorded on its own (to share a case), next to a move's: what the repository accepts, and the local
schema's upgrade (version 3) that keeps every consent already recorded and still refuses changing one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlcipher3

from amparo.casebook import schema
from amparo.casebook.errors import ConsentInvalid, ConsentPermanent
from amparo.casebook.records import RECORDED_PURPOSES
from amparo.casebook.repository import Casebook
from amparo.casebook.vault import Vault
from tests.casebook.test_transfer import DEFENDER, consent_to, full_case, local_book


@pytest.mark.parametrize("purpose", RECORDED_PURPOSES)
def test_a_consent_to_share_is_recorded_and_kept_as_given(tmp_path: Path, purpose: str) -> None:
    book = local_book(tmp_path)
    case = full_case(book)
    stored = book.add(DEFENDER, dataclasses.replace(consent_to(purpose, "Embassy"), case_id=case.id))
    assert book.records(DEFENDER, case.id, "consent") == [stored] and stored.id
    with pytest.raises(ConsentPermanent):
        book.update(DEFENDER, dataclasses.replace(stored, notes="changed"))
    with pytest.raises(ConsentPermanent):
        book.delete(DEFENDER, "consent", stored.id)


@pytest.mark.parametrize(
    "changes",
    [
        {"purpose": "move-to-team"},  # a move's: recorded by move_out, with the transfer it belongs to
        {"purpose": "received"},  # an import's
        {"purpose": "share-mission", "transfer_id": "a" * 32},
        {"purpose": "share-mission", "agreed_by": " "},
        {"purpose": "share-mission", "relation": "a stranger"},
    ],
)
def test_a_consent_that_belongs_to_a_move_or_says_nothing_is_refused(tmp_path: Path, changes: dict) -> None:
    book = local_book(tmp_path)
    case = full_case(book)
    with pytest.raises(ConsentInvalid):
        book.add(DEFENDER, dataclasses.replace(consent_to("share-mission"), case_id=case.id, **changes))
    assert book.records(DEFENDER, case.id, "consent") == []


def test_a_version_2_casebook_keeps_its_consents_and_takes_the_new_purposes(tmp_path: Path) -> None:
    book = local_book(tmp_path)
    case = full_case(book)
    moved = book.move_out(DEFENDER, case.id, dataclasses.replace(consent_to("move-to-team"), transfer_id="a" * 32))
    vault: Vault = book.vault  # type: ignore[assignment]
    with vault.connection() as conn:  # back to version 2's table, as an older Amparo left it
        conn.execute("ALTER TABLE consents RENAME TO consents_new")
        conn.execute(schema._V2.split(";\n")[0])  # its CREATE TABLE consents
        conn.execute("INSERT INTO consents SELECT * FROM consents_new")
        conn.execute("DROP TABLE consents_new")
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%activity%'")
        for (name,) in triggers.fetchall():  # and without what later versions added (the lists' activity)
            conn.execute(f"DROP TRIGGER {name}")
        for table in ("case_activity", "mission_activity"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP INDEX follow_ups_overdue")
        conn.execute("PRAGMA user_version = 2")
        conn.commit()
        with pytest.raises(sqlcipher3.IntegrityError):  # version 2 knew no consent to share
            conn.execute("INSERT INTO consents SELECT 'x', case_id, given_on, agreed_by, relation, 'share-mission',"
                         " recipient, means, notes, '', created_at, updated_at FROM consents")  # fmt: skip
    again = Casebook(vault)
    assert again.records(DEFENDER, case.id, "consent") == [moved.consent]
    shared = again.add(DEFENDER, dataclasses.replace(consent_to("share-organisation"), case_id=case.id))
    assert len(again.records(DEFENDER, case.id, "consent")) == 2 and shared.id
    with vault.connection() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION == 4
        with pytest.raises(sqlcipher3.IntegrityError):
            conn.execute("UPDATE consents SET notes = 'changed'")
