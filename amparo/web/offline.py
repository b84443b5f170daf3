"""The offline edition as a download: one ZIP per language, built on first request and kept in memory.

Building takes a few seconds (every page through the real views), so it happens once
per process and language; the lock makes concurrent first requests wait for one build
instead of starting several.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from amparo.web.views import public

_archives: dict[str, bytes] = {}
_lock = threading.Lock()


def archive(language: str) -> bytes:
    """The ZIP of the offline edition in ``language``, built once per process."""
    from amparo.web.edition.export import zip_bytes

    with _lock:
        if language not in _archives:
            _archives[language] = zip_bytes(language)
        return _archives[language]


@public
def offline_zip(request: HttpRequest, language: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("There is no offline edition in this language."))
    response = HttpResponse(archive(language), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="amparo-offline-{language}.zip"'
    return response


urlpatterns: list = [
    path("data/amparo-offline-<slug:language>.zip", offline_zip, name="offline-zip"),
]
