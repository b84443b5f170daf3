"""What a casebook page may offer the person at it: ``{% casebook_team as team %}``, ``{% may "case.change" as m %}``.

Only what is shown: every view checks again (amparo.web.casebook.access), so a hidden button is a courtesy,
never the protection.
"""

from __future__ import annotations

from django import template

from amparo.web.casebook.access import allowed, team_mode

register = template.Library()


@register.simple_tag
def casebook_team() -> bool:
    """Whether the casebook is the team's (team mode) rather than this computer's vault."""
    return team_mode()


@register.simple_tag(takes_context=True)
def may(context: template.Context, permission: str) -> bool:
    request = context.get("request")
    return request is not None and allowed(request, permission)
