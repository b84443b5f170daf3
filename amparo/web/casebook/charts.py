"""The risk history as a small SVG drawn on the server: no JavaScript, no inline style, readable as text.

Presentation attributes (``fill``, ``stroke``) are not ``style`` and pass the
strict CSP. The chart repeats what the table beside it says; it has a text
alternative and is hidden from nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amparo.casebook.records import MAX_SCORE, RISK_BANDS, RiskAssessment

WIDTH, HEIGHT, PAD = 320, 120, 24
COLOURS = {"low": "#e8f3e8", "medium": "#fdf3d6", "high": "#fbe0c8", "very-high": "#f6d0d0"}


def risk_chart(assessments: Sequence[RiskAssessment]) -> SafeString:
    """A line of risk scores over time (oldest left); empty when there is nothing to draw."""
    if not assessments:
        return SafeString("")
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y(score: float) -> float:
        return round(PAD + inner_h * (1 - score / MAX_SCORE), 1)

    step = inner_w / max(1, len(assessments) - 1)
    points = [(round(PAD + i * step, 1), y(a.score)) for i, a in enumerate(assessments)]
    bands, low = [], 0.0
    for top, level in RISK_BANDS:
        bands.append((PAD, y(top), inner_w, round(y(low) - y(top), 1), COLOURS[level]))
        low = top
    first, last = assessments[0], assessments[-1]
    label = _("Risk score from %(first)s (%(a)s) to %(last)s (%(b)s), %(count)d assessments") % {
        "first": first.assessed_on.isoformat(),
        "a": f"{first.score:.1f}",
        "last": last.assessed_on.isoformat(),
        "b": f"{last.score:.1f}",
        "count": len(assessments),
    }
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}">'
        "<title>{}</title>{}"
        '<polyline fill="none" stroke="#1a1a1a" stroke-width="2" points="{}"/>{}</svg>',
        label,
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', bands),
        " ".join(f"{x},{y_}" for x, y_ in points),
        format_html_join("", '<circle cx="{}" cy="{}" r="3" fill="#1a1a1a"/>', points),
    )
