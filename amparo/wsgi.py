"""WSGI entry point: Django behind Amparo's page cache for public pages."""

from django.core.wsgi import get_wsgi_application

from amparo.settings.mode import choose_settings
from amparo.settings.secret import ensure_configured_key
from amparo.web.pagecache import PageCache

choose_settings()  # AMPARO_MODE: local (the default) or team
ensure_configured_key()  # before the settings are read: no file is written when they are imported
application = PageCache(get_wsgi_application())


def _prepare() -> None:
    """The navigator's caches and the country names filled whole before the first request: filled request by
    request, they would keep in this worker's memory which countries and languages defenders planned for."""
    from django.conf import settings

    from amparo.guidelines import get_dataset
    from amparo.guidelines.countries import localized_country_name
    from amparo.navigator.compact import prepare

    languages = [code for code, _name in settings.LANGUAGES]
    prepare(get_dataset(), languages)
    for language in languages:
        localized_country_name("", language)


_prepare()
