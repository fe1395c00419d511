from django.core.management.base import BaseCommand

from services.courses.seed import seed_courses


class Command(BaseCommand):
    help = "Create this year's 35 doorstep courses (existing ones are left alone)."

    def handle(self, *args, **options):
        self.stdout.write(f"Courses: {len(seed_courses())} created.")
