from django.core.management.base import BaseCommand

from services.applications.tasks import deliver_pending


class Command(BaseCommand):
    help = "Queue again the text messages not sent (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"queued {deliver_pending()} messages")
