from django.core.management.base import BaseCommand

from services.retention import apply_retention


class Command(BaseCommand):
    help = "Remove or make anonymous the personal data whose period is over (run it daily)."

    def handle(self, *args, **options):
        for rule, count in apply_retention().items():
            self.stdout.write(f"{rule}: {count}")
