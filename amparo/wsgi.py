"""WSGI entry point: Django behind Amparo's page cache for public pages."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from amparo.web.pagecache import PageCache  # noqa: E402

application = PageCache(get_wsgi_application())
