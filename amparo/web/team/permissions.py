"""What each role may do, written as rules (the ``rules`` package) and checked in this one place.

Roles are data (:class:`amparo.web.team.models.Member.role`); a permission is a predicate over the
user's role, registered under a name that views ask with :func:`can` (or ``user.has_perm``).

Case scope is the casebook's ``access`` table, keyed by :func:`principal_for`: a case's owner (its
creator) and the members assigned to it hold a row, and every casebook read and write checks it
(a case out of scope does not exist for that member: 404). What this file decides about scope:
who sees every case of the team (``case.all``: each such member holds an editor's row on every case,
kept up to date by the casebook pages), which members can be assigned (:data:`ASSIGNABLE`) and
which row an assignment gives (:func:`access_role_for`). So a case permission is "the role allows it
(here) and the case is in the member's scope (the access table)".

=================  =====  ===========  =======  =========
permission         admin  coordinator  officer  read-only
=================  =====  ===========  =======  =========
team.use           yes    yes          yes      yes
team.list_members  yes    yes          no       no
team.invite        yes    no           no       no
team.change_role   yes    no           no       no
team.disable       yes    no           no       no
case.view          yes    yes          yes      yes
case.all           yes    yes          no       no
case.create        yes    yes          yes      no
case.change        yes    yes          yes      no
case.assign        yes    yes          no       no
case.delete        yes    yes          no       no
case.export        yes    yes          yes      no
case.import        yes    yes          yes      no
audit.view         yes    no           no       no
=================  =====  ===========  =======  =========

``case.import``: an officer who imports a case becomes its owner and so sees it, like a case they record;
a read-only member records nothing, so imports nothing.
"""

from __future__ import annotations

from typing import Any

import rules

from amparo.web.team.models import Member, Role


def role_of(user: Any) -> str | None:
    """The role of an active, two-factor-verified member; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    verified = getattr(user, "is_verified", None)
    if verified is None or not verified():
        return None
    try:
        return str(user.member.role)
    except Member.DoesNotExist:
        return None


def _has_role(*roles: str):  # type: ignore[no-untyped-def]
    @rules.predicate(name="has role " + " or ".join(roles))
    def predicate(user: Any) -> bool:
        return role_of(user) in roles

    return predicate


# The roles that see every case of the team; the others (ASSIGNABLE) see the cases they own or are assigned to.
TEAM_WIDE = (Role.ADMIN, Role.COORDINATOR)
# The roles that may import a case from a transfer file (and own it), here and at `amparo team import-case`.
IMPORTING = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)
ASSIGNABLE = (Role.OFFICER, Role.READ_ONLY)

is_admin = _has_role(Role.ADMIN)
is_coordinator_or_admin = _has_role(*TEAM_WIDE)
can_write_cases = _has_role(Role.ADMIN, Role.COORDINATOR, Role.OFFICER)
is_member = _has_role(Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.READ_ONLY)

RULES = {
    "team.use": is_member,
    "team.list_members": is_coordinator_or_admin,
    "team.invite": is_admin,
    "team.change_role": is_admin,
    "team.disable": is_admin,
    "case.view": is_member,
    "case.all": is_coordinator_or_admin,
    "case.create": can_write_cases,
    "case.change": can_write_cases,
    "case.assign": is_coordinator_or_admin,
    "case.delete": is_coordinator_or_admin,
    "case.export": can_write_cases,  # moving a case out of the team too (it records a consent: a write)
    "case.import": _has_role(*IMPORTING),  # a case from a transfer file: whoever imports it owns it
    "audit.view": is_admin,
}
for _name, _predicate in RULES.items():
    rules.add_perm(_name, _predicate)


def can(user: Any, permission: str, obj: Any = None) -> bool:
    """The one check every team view makes (an unknown permission name is an error, not a silent no)."""
    if permission not in RULES:
        raise KeyError(permission)
    return bool(rules.has_perm(permission, user, obj))


def access_role_for(role: str) -> str:
    """The row an assignment gives a member of ``role``: a reader's for read-only, an editor's otherwise."""
    return "reader" if role == Role.READ_ONLY else "editor"


def sees_every_case(role: str) -> bool:
    """Whether members of ``role`` see every case of the team (``case.all``, for a stored role)."""
    return role in TEAM_WIDE


def principal_for(user: Any) -> str:
    """The stable id of a member for access rules and audit: random, never the username, never reused.

    It stays the same when the username changes, and the casebook's ``access`` table stores it
    (who owns a case, who is assigned). Raises ``Member.DoesNotExist`` for a user with no membership.
    """
    return str(user.member.principal)
