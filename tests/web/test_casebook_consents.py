"""A consent recorded on its own on the case page (issue 13): who agreed, to what, with whom, how and when; kept
as given (never edited or deleted on its own), in the timeline, with the record writes' role rules.

The team's side (another scope's 404, a reader's 403) is in tests/web/team/test_consents.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from amparo.web.casebook import runtime
from tests.casebook.test_transfer import DEFENDER
from tests.web.casebook_helpers import new_case

pytestmark = pytest.mark.django_db


def consent(**extra: str) -> dict:
    return {
        "purpose": "share-organisation",
        "recipient": "Partner NGO in Tegucigalpa",
        "given_on": "2026-11-28",
        "agreed_by": "Heron, the defender",
        "relation": "defender",
        "means": "secure-message",
        "notes": "Only the incidents, not the risk assessments.",
        **extra,
    }


def test_an_officer_records_a_consent_the_defender_gave_and_it_stays_as_given(unlocked: Client) -> None:
    case_id = new_case(unlocked, pseudonym="Heron")
    url = f"/en/casebook/cases/{case_id}/new/consent/"
    assert f'href="{url}"' in unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    page = unlocked.get(url)
    assert page.status_code == 200 and "never changed or deleted" in page.content.decode()
    assert f'value="{dt.datetime.now(dt.UTC).date().isoformat()}"' in page.content.decode()  # today, in UTC
    response = unlocked.post(url, consent())
    assert response.status_code == 302 and f"/cases/{case_id}/" in response["Location"]
    (stored,) = runtime.casebook().records(DEFENDER, case_id, "consent")
    assert (stored.purpose, stored.recipient, stored.means, stored.given_on, stored.transfer_id) == (
        "share-organisation",
        "Partner NGO in Tegucigalpa",
        "secure-message",
        dt.date(2026, 11, 28),
        "",
    )
    case_page = unlocked.get(f"/en/casebook/cases/{case_id}/").content.decode()
    assert "Share the case with a partner organisation" in case_page and "Partner NGO in Tegucigalpa" in case_page
    assert "Only the incidents" in case_page and f"/casebook/consent/{stored.id}/" not in case_page  # no edit link
    assert unlocked.get(f"/en/casebook/consent/{stored.id}/").status_code == 404
    assert unlocked.post(f"/en/casebook/consent/{stored.id}/delete/", {"confirm": "yes"}).status_code == 404
    assert runtime.casebook().records(DEFENDER, case_id, "consent") == [stored]
    assert ("create", "consent") in {(e.action, e.kind) for e in runtime.casebook().audit(DEFENDER)}
    assert [h.kind for h in runtime.casebook().search(DEFENDER, "Tegucigalpa")] == ["consent"]


@pytest.mark.parametrize(
    "refused",
    [
        {"purpose": "move-to-team"},  # a move's consent is recorded by the move, with its file
        {"purpose": "received"},
        {"purpose": "share-mission", "recipient": ""},  # with whom, for a share
        {"purpose": "other", "notes": " "},  # what, for anything else
        {"agreed_by": ""},
        {"means": "transfer-file"},
        {"relation": "a stranger"},
        {"given_on": "1900-01-01"},
        {"recipient": "x" * 201},
    ],
)
def test_a_consent_form_that_does_not_say_enough_is_refused_and_records_nothing(unlocked: Client, refused) -> None:
    case_id = new_case(unlocked)
    response = unlocked.post(f"/en/casebook/cases/{case_id}/new/consent/", consent(**refused))
    assert response.status_code == 400
    assert runtime.casebook().records(DEFENDER, case_id, "consent") == []
