from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from django.db.backends.signals import connection_created

        # drf-spectacular finds an extension by its class being defined.
        from . import filter_schema  # noqa: F401
        from .statement_timeout import install_sqlite_deadline

        connection_created.connect(install_sqlite_deadline, dispatch_uid="sqlite_deadline")
