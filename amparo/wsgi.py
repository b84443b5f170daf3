"""WSGI entry point: Django behind Amparo's page cache for public pages."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")

from django.core.wsgi import get_wsgi_application

from amparo.web.pagecache import PageCache

application = PageCache(get_wsgi_application())
