"""Members by their principal, for the casebook's pages in team mode: names shown, members one can assign.

The casebook stores principals only (random ids, :func:`~amparo.web.team.permissions.principal_for`);
the names shown beside a case are looked up here when a page is drawn, and are never written into
the casebook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from amparo.web.team.models import Member, Role
from amparo.web.team.permissions import ASSIGNABLE


@dataclass(frozen=True)
class Person:
    principal: str
    username: str
    role: str
    active: bool

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def people(principals: Iterable[str]) -> dict[str, Person]:
    """The members among ``principals``, by principal (one query; unknown principals are left out)."""
    wanted = {p for p in principals if p}
    if not wanted:
        return {}
    rows = Member.objects.filter(principal__in=wanted).values_list(
        "principal", "user__username", "role", "user__is_active"
    )
    return {p: Person(p, name, role, active) for p, name, role, active in rows}


def person(principal: str) -> Person | None:
    return people([principal]).get(principal)


def assignable() -> list[Person]:
    """Active members whose role sees only their own and assigned cases, by username."""
    rows = (
        Member.objects.filter(role__in=ASSIGNABLE, user__is_active=True)
        .order_by("user__username")
        .values_list("principal", "user__username", "role", "user__is_active")
    )
    return [Person(*row) for row in rows]
