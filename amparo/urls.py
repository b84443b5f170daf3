"""Top-level URLs: the public site under a language prefix, the API and downloads without one."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from amparo.web import api, letters, navigator, offline, sheets, views

handler400 = "amparo.web.views.bad_request"
handler404 = "amparo.web.views.not_found"
handler500 = "amparo.web.views.server_error"

# Team mode (amparo.settings.team) adds accounts and login under /<language>/team/; local mode has none.
team = [path("", include("amparo.web.team.urls"))] if "amparo.web.team" in settings.INSTALLED_APPS else []

urlpatterns = [
    path("api/v1/letter", letters.api_letter, name="api-letter"),
    path("api/v1/", include(api.urlpatterns)),
    path("api/v2/plan", api.plan_v2, name="api-v2-plan"),
    path("api/v2/openapi.json", api.openapi_v2_view, name="api-v2-openapi"),
    path("data/amparo.json", views.download_json, name="download-json"),
    path("data/matrix.csv", views.download_csv, name="download-csv"),
    path("", include(offline.urlpatterns)),
    *i18n_patterns(
        path("", include(views.urlpatterns)),
        path("", include(navigator.urlpatterns)),
        path("", include(letters.urlpatterns)),
        path("", include(sheets.urlpatterns)),
        path("", include("amparo.web.casebook.urls")),  # the private room: its own app and namespace
        *team,
    ),
]
