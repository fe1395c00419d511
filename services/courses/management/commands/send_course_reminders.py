from django.core.management.base import BaseCommand

from services.courses.tasks import remind_tomorrow, send_course_reminders


class Command(BaseCommand):
    help = "Remind every member enrolled in a session tomorrow (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="queue the task for db_worker instead"
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            send_course_reminders.enqueue()
            self.stdout.write("Reminder task queued.")
        else:
            self.stdout.write(f"Reminders sent: {remind_tomorrow()}")
