from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .request_signals import trim_request_receivers
        from .statement_timeout import install_sqlite_deadline

        connection_created.connect(install_sqlite_deadline, dispatch_uid="sqlite_deadline")
        trim_request_receivers()
