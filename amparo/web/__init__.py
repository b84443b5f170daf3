"""The Django shell around the pure core: public pages, the JSON API, security headers."""
