from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and fact-checks"

    def ready(self):
        from . import checks  # noqa: F401  (registers the database check)
