"""Template filters for the letter form, which the plan page and the letter page both include."""

from __future__ import annotations

from django import template

from amparo.documents.letter.from_plan import plan_recipients
from amparo.guidelines import get_dataset
from amparo.navigator import Plan
from amparo.navigator.plan import Presence

register = template.Library()


@register.filter
def letter_recipients(plan: Plan | None) -> tuple[Presence, ...]:
    """The issuers a letter from ``plan`` may go to: every one that foresees a measure of it."""
    return plan_recipients(plan, get_dataset()) if plan is not None else ()
