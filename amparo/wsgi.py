"""WSGI entry point: Django behind Amparo's page cache for public pages."""

import os

from django.core.wsgi import get_wsgi_application

from amparo.settings.secret import ensure_configured_key
from amparo.web.pagecache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings.local")
ensure_configured_key()  # before the settings are read: no file is written when they are imported
application = PageCache(get_wsgi_application())
