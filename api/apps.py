from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # drf-spectacular finds an extension by its class being defined.
        from . import filter_schema  # noqa: F401
