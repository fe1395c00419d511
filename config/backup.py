"""Backups and the restore drill (README, "Backups").

A backup is three things kept apart: the database (``pg_dump``, custom format), the private
files (a tar of the media folder; with object storage, the bucket's own versioned copy), and
a manifest (rows per table, the SHA-256 of every private file, and a fingerprint of the keys
that encrypted the ID numbers and bank cards). The keys themselves (``PORTAL_FIELD_KEYS``,
``PORTAL_BLIND_INDEX_KEY``) are escrowed elsewhere: a backup without them is unreadable, and
one that carried them would give away what they protect.

The drill restores a backup into a fresh database and folder and checks it against its
manifest: the same rows, every file present with its hash (and a proof's hash as its row
recorded it), and every encrypted field decrypting with the escrowed keys to a value whose
blind index is the one stored beside it.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

PRIVATE = "private"


def _libpq(url: str) -> tuple[list[str], dict]:
    """pg_dump / pg_restore arguments and environment for a database URL."""
    parts = urlparse(url)
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return [
        "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
        "-U", parts.username or "postgres",
    ], env  # fmt: skip


def run_tool(tool: str, *args: str, env: dict | None = None, check: bool = True):
    """A PostgreSQL client program; its arguments come from the settings, never a request."""
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is needed (Debian: postgresql-client)")
    return subprocess.run([path, *args], env=env, check=check)  # noqa: S603


def current_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted((root / PRIVATE).rglob("*")) if (root / PRIVATE).exists() else []:
        if path.is_file():
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._default_manager.count()
    return counts


def key_fingerprint() -> str:
    """Which keys encrypted this data (a hash of them, never the keys)."""
    material = "|".join([*settings.PORTAL_FIELD_KEYS, settings.PORTAL_BLIND_INDEX_KEY])
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def backup(into: Path) -> Path:
    """Dump the database, pack the private files, write the manifest; returns the folder."""
    if connection.vendor != "postgresql":
        raise RuntimeError("backups are of the PostgreSQL database (pg_dump)")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = into / f"portal-{stamp}"
    folder.mkdir(parents=True)
    args, env = _libpq(current_database_url())
    run_tool(
        "pg_dump", *args, "--format=custom", "--no-owner", "--file",
        str(folder / "database.dump"), connection.settings_dict["NAME"], env=env,
    )  # fmt: skip
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if (media / PRIVATE).exists():
            archive.add(media / PRIVATE, arcname=PRIVATE)
    manifest = {
        "taken_at": stamp, "rows": row_counts(), "files": file_hashes(media),
        "keys": key_fingerprint(),
    }  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


def restore(folder: Path, *, database_url: str, media_root: Path) -> None:
    """Into a fresh database (created here) and an empty media folder."""
    args, env = _libpq(database_url)
    name = urlparse(database_url).path.lstrip("/")
    run_tool("createdb", *args, name, env=env)
    run_tool(
        "pg_restore", *args, "--no-owner", "--exit-on-error", "-d", name,
        str(folder / "database.dump"), env=env,
    )  # fmt: skip
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz") as archive:
        archive.extractall(media_root, filter="data")


def check_restored(manifest: dict) -> list[str]:
    """Run inside a process whose settings point at the restored database and media."""
    from services.applications.models import Attachment
    from services.members.models import Member
    from services.members.pii import blind_index

    problems = []
    if manifest["keys"] != key_fingerprint():
        problems.append("the keys given are not the keys the backup's data was encrypted with")
    counts = row_counts()
    for table, rows in manifest["rows"].items():
        if counts.get(table) != rows:
            problems.append(f"{table}: {counts.get(table)} rows, the backup had {rows}")
    found = file_hashes(Path(settings.MEDIA_ROOT))
    for name, digest in manifest["files"].items():
        if found.get(name) != digest:
            problems.append(f"{name}: {'changed' if name in found else 'missing'}")
    for attachment in Attachment.objects.only("file", "sha256"):
        if not default_storage.exists(attachment.file.name):
            problems.append(f"proof {attachment.pk}: no file")
        elif found.get(attachment.file.name) != attachment.sha256:
            problems.append(f"proof {attachment.pk}: the file is not the one uploaded")
    decrypted = 0
    for member in Member.objects.exclude(id_number_masked=""):
        try:
            number = member.id_number
        except ValueError:
            problems.append(f"member {member.pk}: the ID number does not decrypt")
            continue
        if blind_index(number) != member.id_number_index:
            problems.append(f"member {member.pk}: the ID number is not the one indexed")
        decrypted += 1
    if not problems and decrypted == 0 and Member.objects.exists():
        problems.append("no ID number was checked")
    return problems
