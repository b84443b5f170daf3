#!/usr/bin/env python
"""Django's command-line utility, for maintenance tasks (migrate, check)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings.local")
    from amparo.settings.secret import ensure_configured_key

    ensure_configured_key()  # before the settings read it: created here, once, atomically
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
