from django.core.management.base import BaseCommand

from services.tuition.programs import seed_programs


class Command(BaseCommand):
    help = "Create this year's tuition and skill programs (existing ones are left alone)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)

    def handle(self, *args, year=None, **options):
        created = seed_programs(year)
        self.stdout.write(f"Programs: {len(created)} created.")
