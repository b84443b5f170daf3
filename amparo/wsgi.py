"""WSGI entry point: Django behind Amparo's page cache for public pages."""

from django.core.wsgi import get_wsgi_application

from amparo.settings.mode import choose_settings
from amparo.settings.secret import ensure_configured_key
from amparo.web.pagecache import PageCache

choose_settings()  # AMPARO_MODE: local (the default) or team
ensure_configured_key()  # before the settings are read: no file is written when they are imported
application = PageCache(get_wsgi_application())
