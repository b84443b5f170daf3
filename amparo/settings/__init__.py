"""Amparo's settings, one module per way of running it.

- :mod:`amparo.settings.base`: what every deployment shares (no settings module on its own).
- :mod:`amparo.settings.local`: the embedded default, one machine (``amparo serve``).
- :mod:`amparo.settings.production`: local mode behind TLS, refusing to start half-configured.
- :mod:`amparo.settings.test`: the test suite's, with a throw-away data directory.

None writes a file when imported; the secret key is made by the command that starts
(:mod:`amparo.settings.secret`).
"""
