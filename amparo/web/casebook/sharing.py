"""Who can see a case, in team mode: its owner, the members assigned to it, and who assigns them.

A case's owner is the member who recorded it; coordinators and admins see every case of the team
and assign officers and read-only members to a case, or take them off it (POST forms, no script).
Officers and read-only members see the cases they own or are assigned to. The rows are the
casebook's ``access`` table (changed through the repository, an audit entry for each change); the
role rules (amparo.web.team.permissions) say who may assign and which row an assignment gives.

The casebook knows members only by their principal (a random id): their names are looked up in the
team's accounts when a page is drawn (:mod:`amparo.web.team.directory`), never stored in the casebook.
In local mode there is one person and nothing to share: no section, and the form's address is a 404.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.web.casebook.access import allowed, book, calm, casebook_page, principal, require, team_mode

PRINCIPAL = re.compile(r"p-[0-9a-f]{32}")
NO_OWNERS: Mapping[str, str] = MappingProxyType({})  # local mode: no owner column


def owner_names(request: HttpRequest, case_ids: list[str]) -> Mapping[str, str]:
    """The owner's name of each case shown (team mode; :data:`NO_OWNERS` locally)."""
    if not team_mode():
        return NO_OWNERS
    from amparo.web.team import directory

    owners = book().owners(principal(request), case_ids)
    people = directory.people(owners.values())
    former = _("Former member")
    return {case_id: people[p].username if p in people else former for case_id, p in owners.items()}


def _shared(request: HttpRequest, case_id: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The case's owner and the assigned members, as (principal, access role): 404 when out of scope.

    Members whose role sees every case hold a row on each; they are not "assigned" and not listed.
    """
    from amparo.web.team import directory
    from amparo.web.team.permissions import sees_every_case

    rows = book().assignees(principal(request), case_id)
    people = directory.people(p for p, _role in rows)
    owner = next((p for p, role in rows if role == "owner"), None)
    assigned = [
        (p, role) for p, role in rows if role != "owner" and not (p in people and sees_every_case(people[p].role))
    ]
    return owner, assigned


def section(request: HttpRequest, case_id: str) -> dict | None:
    """The case page's "Who can see this case" (team mode only)."""
    if not team_mode():
        return None
    from amparo.web.team import directory

    owner, assigned = _shared(request, case_id)
    people = directory.people([owner or "", *(p for p, _role in assigned)])
    former = _("Former member")
    holding = {owner, *(p for p, _role in assigned)}
    may_assign = allowed(request, "case.assign")
    return {
        "owner": people[owner].username if owner in people else former,
        "assigned": [
            {
                "principal": p,
                "name": people[p].username if p in people else former,
                "role": people[p].role_label if p in people else "",
                "reads_only": role == "reader",
            }
            for p, role in assigned
        ],
        "can_assign": may_assign,
        "candidates": [m for m in directory.assignable() if m.principal not in holding] if may_assign else [],
    }


@require_POST
@casebook_page
def case_access(request: HttpRequest, case_id: str) -> HttpResponse:
    """Assign a member to the case (``action=assign``) or take one off it (``action=remove``)."""
    if not team_mode():
        raise Http404
    from amparo.web.team import directory
    from amparo.web.team.permissions import access_role_for

    _owner, assigned = _shared(request, case_id)  # out of scope: 404 before anything else
    require(request, "case.assign")
    who, target, action = principal(request), request.POST.get("member", ""), request.POST.get("action", "")
    if action == "assign":
        member = next((m for m in directory.assignable() if m.principal == target), None)
        if member is None:
            return calm(request, _("Choose one of the members listed on the case's page."), 400)
        book().grant(who, case_id, member.principal, access_role_for(member.role))
    elif action == "remove":
        if not PRINCIPAL.fullmatch(target) or target not in {p for p, _role in assigned}:
            return calm(request, _("Choose one of the members listed on the case's page."), 400)
        book().revoke(who, case_id, target)
    else:
        return calm(request, _("Nothing changed: choose to assign a member or to remove one."), 400)
    return redirect(reverse("casebook:case", kwargs={"case_id": case_id}) + "#access")
