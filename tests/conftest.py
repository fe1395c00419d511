"""Shared fixtures. Tests run with DJANGO_ENV=test on SQLite in memory, or on the database in
DATABASE_URL (CI runs both PostgreSQL and SQLite)."""

import os
import tomllib
from importlib import import_module

os.environ.setdefault("DJANGO_ENV", "test")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

from reports.management.commands.load_annual_report import DEFAULT_FILE  # noqa: E402
from tests import factories  # noqa: E402


def pytest_configure(config):
    if not settings.TESTING:
        raise pytest.UsageError("run the tests with DJANGO_ENV=test (make test does)")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def report_2023_data() -> dict:
    with open(DEFAULT_FILE, "rb") as handle:
        return tomllib.load(handle)


@pytest.fixture
def report_2023(db, report_2023_data):
    from reports.services import report_import

    report, _ = report_import(data=report_2023_data)
    return report


@pytest.fixture
def staff_groups(db):
    """The staff groups that migrations create; a transactional test's flush removes them."""
    from django.apps import apps

    import_module("reports.migrations.0002_report_editor_group").create_group(apps, None)


@pytest.fixture
def editor(staff_groups):
    """A member of the 报告编辑 group: may edit and publish reports."""
    return factories.StaffUserFactory(groups=["报告编辑"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
