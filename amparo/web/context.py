"""Template context shared by every page."""

from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from amparo.guidelines import get_dataset


def site(request):
    dataset = get_dataset()
    return {
        "dataset_edition": dataset.edition,
        "language": get_language(),
        "bidi": get_language_bidi(),
        "languages": settings.LANGUAGES,
    }
