from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class WebConfig(AppConfig):
    name = "amparo.web"
    label = "web"

    def ready(self) -> None:
        """Load the dataset at start-up: a broken data file stops the site with file and line."""
        from amparo.guidelines import DataError, get_dataset

        try:
            get_dataset()
        except DataError as exc:
            raise ImproperlyConfigured(f"the dataset has problems:\n{exc}") from None
