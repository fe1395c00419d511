from pathlib import Path

from django.core.management.base import BaseCommand

from config.backup import backup


class Command(BaseCommand):
    help = "Dump the database, pack the private files and write the manifest (README, Backups)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="where the backup's folder is made")

    def handle(self, *args, folder, **options):
        made = backup(folder)
        self.stdout.write(f"backup in {made} (the keys are not in it: they are escrowed)")
