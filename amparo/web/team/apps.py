"""The team app: installed in team mode only (amparo.settings.team)."""

from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "amparo.web.team"
    label = "team"
    verbose_name = "Team"

    def ready(self) -> None:
        from amparo.web.team import permissions  # noqa: F401  registers the roles' rules
