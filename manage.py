#!/usr/bin/env python
"""Django's command-line utility, for maintenance tasks (migrate, check)."""

import sys

if __name__ == "__main__":
    from amparo.settings.mode import choose_settings

    choose_settings()  # AMPARO_MODE: local (the default) or team
    from amparo.settings.secret import ensure_configured_key

    ensure_configured_key()  # before the settings read it: created here, once, atomically
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
