"""The backup and its restore drill (config/backup.py) on PostgreSQL: a backup restores into a
fresh database with the same rows, the same files and ID numbers that decrypt with the
escrowed keys; a changed file or the wrong keys fail the drill."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tests.factories import street_staff
from tests.services.applications.conftest import make_eligible, program, submitted

__all__ = ["program"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are pg_dump's"),
]


@pytest.fixture
def backed_up(tmp_path, staff_groups, program, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    street_staff("XS")
    for index in range(3):
        submitted(program, make_eligible(mobile=f"1397777000{index}"))
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


def test_a_backup_restores_whole_with_the_escrowed_keys(backed_up, capsys):
    manifest = json.loads((backed_up / "manifest.json").read_text())
    assert manifest["rows"]["members_member"] == 3 and len(manifest["files"]) == 6
    assert "PORTAL_FIELD_KEYS" not in (backed_up / "manifest.json").read_text()
    call_command("restore_drill", str(backed_up))
    out = capsys.readouterr().out
    assert "every ID number decrypts" in out and "restore drill passed" in out


def test_a_changed_file_fails_the_drill(backed_up):
    manifest = json.loads((backed_up / "manifest.json").read_text())
    name = next(iter(manifest["files"]))
    manifest["files"][name] = "0" * 64
    (backed_up / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError):
        call_command("restore_drill", str(backed_up))


def test_the_wrong_keys_fail_the_drill(backed_up):
    from cryptography.fernet import Fernet

    with (
        override_settings(PORTAL_FIELD_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(CommandError),
    ):
        call_command("restore_drill", str(backed_up))
