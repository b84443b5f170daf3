"""The team app: installed in team mode only (amparo.settings.team)."""

from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "amparo.web.team"
    label = "team"
    verbose_name = "Team"

    def ready(self) -> None:
        from amparo.web.team import audit, permissions  # noqa: F401  permissions registers the roles' rules

        audit.connect()  # logins, failed logins, logouts and member changes go to the audit
