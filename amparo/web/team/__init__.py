"""Team mode's accounts: roles, enrolment links, two-factor login, sessions a person can see and end.

Installed by amparo.settings.team only; local mode has no accounts (unlocking the casebook is its login).
"""
