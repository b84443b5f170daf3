"""Template context shared by every page."""

from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from amparo.guidelines import get_dataset
from amparo.guidelines.words import interface_state
from amparo.web.edition.links import EDITION_KEY, Edition


def _alternates(request, edition: Edition | None) -> list[tuple[str, str, str]]:
    """The same page in each language (each exported language, offline): (code, name, path)."""
    parts = request.path.split("/", 2)
    rest = parts[2] if len(parts) > 2 and parts[1] in dict(settings.LANGUAGES) else ""
    codes = edition.languages if edition else dict(settings.LANGUAGES)
    return [(code, name, f"/{code}/{rest}") for code, name in settings.LANGUAGES if code in codes]


def edition_of(request) -> Edition | None:
    """The offline edition this page is rendered for, if the exporter is rendering it; else None (live)."""
    edition = request.META.get(EDITION_KEY) if request is not None else None
    return edition if isinstance(edition, Edition) else None


def translation_notes(language: str) -> tuple[bool, bool]:
    """Whether a page in ``language`` must say that some texts are still in English, and that its translation
    is a draft no native reviewer has read yet."""
    if language == "en":
        return False, False
    data = get_dataset().translations.get(language)
    interface = interface_state(language)
    incomplete = data is None or not data.complete or interface is None or interface[1] < interface[0]
    draft = (data is not None and data.draft) or (interface is not None and interface[3] > 0)
    return incomplete, draft


def site(request):
    dataset = get_dataset()
    edition = edition_of(request)
    incomplete, draft = translation_notes(get_language() or "en")
    return {
        "translation_incomplete": incomplete,
        "translation_draft": draft,
        "alternates": _alternates(request, edition),
        "dataset_edition": dataset.edition,
        "edition": edition,
        "language": get_language(),
        "bidi": get_language_bidi(),
        "languages": settings.LANGUAGES,
    }
