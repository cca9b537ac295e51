from django.core.management.base import BaseCommand

from claims.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo data (the Reuters NATO/Ukraine report of 2015-01-26); safe to re-run."

    def handle(self, *args, **options):
        created = demo_load()
        summary = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({summary})."))
