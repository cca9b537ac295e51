from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

from claims.checks import REQUIRED


class Command(BaseCommand):
    help = (
        "Run again the SQL with which migrations installed the triggers, search tables and "
        "indexes that the claims check (claims.E001, claims.E002, claims.W001) reports missing. "
        "The SQL is idempotent: objects still there are re-created as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        required = REQUIRED.get(connection.vendor)
        if not required:
            raise CommandError(f"No database objects are installed on {connection.vendor}.")
        loader = MigrationLoader(connection)
        installers = sorted({needed.migration for needed in required})
        if missing := [key for key in installers if key not in loader.applied_migrations]:
            raise CommandError(
                f"Migration {'.'.join(missing[0])} is not applied yet: run `manage.py migrate`."
            )
        # The installers' own code, as loaded from the migration files by Django: their SQL
        # stays frozen there, and run-time code never imports a migration.
        for key in installers:
            apps = loader.project_state(key).apps
            with connection.schema_editor() as schema_editor:
                for operation in loader.get_migration(*key).operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)
            self.stdout.write(f"Ran the SQL of migration {'.'.join(key)} again.")
