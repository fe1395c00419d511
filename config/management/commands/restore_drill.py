"""The restore drill: a backup restored into a fresh database and folder, then checked
against its manifest with the escrowed keys (config/backup.py). Exits 1 on any difference."""

import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.backup import check_restored, current_database_url, restore, run_tool


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and check rows, files and keys."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder made by manage.py backup")
        parser.add_argument("--database-url", help="the fresh database (default: a new one "
                            "beside this one, dropped afterwards)")  # fmt: skip
        parser.add_argument("--check", action="store_true", help="(inside the drill) check the "
                            "database and media this process is configured with")  # fmt: skip

    def handle(self, *args, folder, database_url=None, check=False, **options):
        manifest = json.loads((folder / "manifest.json").read_text())
        if check:
            problems = check_restored(manifest)
            for problem in problems:
                self.stdout.write(f"  ✗ {problem}")
            if problems:
                sys.exit(1)
            self.stdout.write(
                f"  ✓ {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables, "
                f"{len(manifest['files'])} files, every ID number decrypts"
            )
            return
        keep = database_url is not None
        if database_url is None:
            here = urlparse(current_database_url())
            name = f"portal_restore_{datetime.now():%Y%m%d_%H%M%S}"
            database_url = here._replace(path=f"/{name}").geturl()
        media = Path(tempfile.mkdtemp(prefix="portal-restore-"))
        self.stdout.write(f"restoring {folder} into {urlparse(database_url).path[1:]} ...")
        restore(folder, database_url=database_url, media_root=media)
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(media),
               "PORTAL_FIELD_KEYS": ",".join(settings.PORTAL_FIELD_KEYS),
               "PORTAL_BLIND_INDEX_KEY": settings.PORTAL_BLIND_INDEX_KEY}  # fmt: skip
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        result = subprocess.run(  # noqa: S603 (this same command, in a process of its own)
            [sys.executable, "manage.py", "restore_drill", str(folder), "--check"],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        self.stdout.write(result.stdout.strip())
        if not keep:
            run_tool("dropdb", "--if-exists", *self._libpq(database_url), check=False)
        if result.returncode:
            raise CommandError(
                f"the restored backup differs from its manifest\n{result.stderr[-2000:]}"
            )
        self.stdout.write("restore drill passed")

    @staticmethod
    def _libpq(url):
        parts = urlparse(url)
        return ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
                "-U", parts.username or "postgres", parts.path.lstrip("/")]  # fmt: skip
