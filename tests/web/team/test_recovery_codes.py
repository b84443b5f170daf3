"""Recovery codes are kept as scrypt hashes only: shown once, each works once, wrong ones count toward the lockout,
and the clear codes django-otp kept before are hashed by the migration and keep working."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.web.team.conftest import log_in

pytestmark = pytest.mark.django_db


def every_text_in_the_database() -> str:
    """Every row of every table of the test database, as text (the codes must be in none of them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [name for (name,) in cursor.fetchall()]
        texts = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')  # noqa: S608  names from the catalogue
            texts += [row for (row,) in cursor.fetchall()]
    return "\n".join(texts)


def test_the_database_holds_no_recovery_code(make_member):
    from amparo.web.team.models import RecoveryCode

    member = make_member()
    assert len(member.codes) == settings.AMPARO_TEAM_RECOVERY_CODES and len(set(member.codes)) == len(member.codes)
    assert all(len(code) == 10 for code in member.codes)
    assert RecoveryCode.objects.filter(device__user=member.user).count() == len(member.codes)
    dump = every_text_in_the_database().lower()
    assert "recovery" in dump  # the device row is there: the dump reads the right tables
    for code in member.codes:
        assert code not in dump


def test_a_used_code_stops_working_and_the_others_still_work(make_member):
    from amparo.web.team.models import RecoveryCode

    member = make_member()
    assert log_in(Client(), member, code=member.codes[3]).status_code == 302
    assert RecoveryCode.objects.filter(device__user=member.user).count() == len(member.codes) - 1
    assert log_in(Client(), member, code=member.codes[3]).status_code == 400
    assert log_in(Client(), member, code=member.codes[4]).status_code == 302


def test_a_wrong_recovery_code_counts_toward_the_lockout(make_member):
    member = make_member()
    client = Client()
    wrong = "abcdefghij" if "abcdefghij" not in member.codes else "bcdefghijk"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, member, code=wrong).status_code == 400
    assert log_in(client, member, code=wrong).status_code == 429
    assert log_in(client, member, code=member.codes[0]).status_code == 429  # even a right code, while locked


def test_codes_django_otp_kept_in_clear_are_hashed_by_the_migration_and_still_work(make_member):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from amparo.web.team.models import RecoveryCodes

    member = make_member()
    RecoveryCodes.objects.filter(user=member.user).delete()  # as before migration 0002: django-otp's clear codes
    old = StaticDevice.objects.create(user=member.user, name="recovery", confirmed=True)
    clear = [StaticToken.random_token() for _ in range(3)]
    StaticToken.objects.bulk_create([StaticToken(device=old, token=token) for token in clear])
    migration = importlib.import_module("amparo.web.team.migrations.0002_recovery_code_hashes")
    migration.hash_clear_codes(apps, None)
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    dump = every_text_in_the_database()
    assert not any(token in dump for token in clear)
    assert log_in(Client(), member, code=clear[1].upper()).status_code == 302
    assert log_in(Client(), member, code=clear[1]).status_code == 400
    assert log_in(Client(), member, code=clear[2]).status_code == 302


def test_an_app_code_costs_no_scrypt_and_no_throttle_of_the_recovery_codes(make_member):
    from amparo.web.team.models import RecoveryCodes

    member = make_member()
    device = RecoveryCodes.objects.get(user=member.user)
    assert not device.verify_token("123456")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert not device.verify_token("zzzzzzzzzz")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
