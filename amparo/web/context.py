"""Template context shared by every page."""

from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from amparo.guidelines import get_dataset


def _alternates(request) -> list[tuple[str, str, str]]:
    """The same page in each language: (code, name, path)."""
    parts = request.path.split("/", 2)
    rest = parts[2] if len(parts) > 2 and parts[1] in dict(settings.LANGUAGES) else ""
    return [(code, name, f"/{code}/{rest}") for code, name in settings.LANGUAGES]


def site(request):
    dataset = get_dataset()
    return {
        "alternates": _alternates(request),
        "dataset_edition": dataset.edition,
        "language": get_language(),
        "bidi": get_language_bidi(),
        "languages": settings.LANGUAGES,
    }
