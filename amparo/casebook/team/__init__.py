"""Team mode's store: the casebook on PostgreSQL, personal fields encrypted with a key kept outside it.

:func:`open_team_store` (``DATABASE_URL`` and the key file in ``AMPARO_TEAM_KEY_FILE``)
gives a store to hand to :class:`~amparo.casebook.repository.Casebook`, which works on it
as on the local vault. :func:`create_key_file` makes a new key file (mode 0600). What the
database server can and cannot see is written down in docs/team.md.

Imported only in team mode: it needs psycopg (the ``postgres`` extra).
"""

from __future__ import annotations

from amparo.casebook.team.keys import ENV_KEY_FILE, create_key_file, read_key_file
from amparo.casebook.team.store import TeamStore, open_team_store

__all__ = ["ENV_KEY_FILE", "TeamStore", "create_key_file", "open_team_store", "read_key_file"]
