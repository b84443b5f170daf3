"""The offline edition as a download: one ZIP per language, prebuilt (see amparo.web.edition.publish).

The view only sends a file that exists. If the edition in a language is not built yet
(the server has just started), it answers 503 at once with a calm page and Retry-After:
a request never builds, so the public site keeps answering.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from amparo.web.edition.publish import edition_file
from amparo.web.views import public

RETRY_SECONDS = 60


@public
def offline_zip(request: HttpRequest, language: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("There is no offline edition in this language."))
    try:
        handle = edition_file(language).open("rb")
    except FileNotFoundError:
        context = {"title": _("The offline edition is being prepared"), "status": 503}
        response = render(request, "web/error.html", context, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    return FileResponse(
        handle, as_attachment=True, filename=f"amparo-offline-{language}.zip", content_type="application/zip"
    )


urlpatterns: list = [
    path("data/amparo-offline-<slug:language>.zip", offline_zip, name="offline-zip"),
]
