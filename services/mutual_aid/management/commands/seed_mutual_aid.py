from django.core.management.base import BaseCommand

from services.mutual_aid.seed import seed_plans


class Command(BaseCommand):
    help = "Create this year's mutual-aid plans (existing ones are left alone)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)

    def handle(self, *args, year=None, **options):
        created = seed_plans(year)
        self.stdout.write(f"Mutual-aid plans: {len(created)} created.")
