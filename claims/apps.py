from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and fact-checks"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the database check)
        from .aliases import install_sqlite_casefold

        connection_created.connect(install_sqlite_casefold, dispatch_uid="sqlite_casefold")
