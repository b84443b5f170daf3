"""HTTPS only, remembered by browsers for a year: the settings of every mode served behind TLS.

Against the network observer (THREAT-MODEL.md): no page, cookie or password over plain HTTP, and
browsers that have been here once refuse plain HTTP for a year. A reverse proxy in front sets
``X-Forwarded-Proto``. Read by :mod:`amparo.settings.production` and, unless ``AMPARO_TEAM_TLS=0``,
by :mod:`amparo.settings.team`.
"""

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
