"""Shared fixtures. Tests run with ``config.settings.test`` on SQLite in memory, or on the
database in DATABASE_URL (CI runs both PostgreSQL and SQLite)."""

import tomllib
from importlib import import_module

import pytest
from django.conf import settings

from reports.management.commands.load_annual_report import DEFAULT_FILE
from tests import factories


def pytest_configure(config):
    if not getattr(settings, "TESTING", False):
        raise pytest.UsageError("run the tests with config.settings.test (make test does)")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the default language, whatever a previous request activated."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush re-creates content types under new ids; the global
    manager's cache would still hold the old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


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


# Every migration that gives staff groups their permissions, in migration order.
ROLE_MIGRATIONS = [
    "reports.migrations.0002_report_editor_group",
    "services.members.migrations.0003_staff_roles",
    "services.applications.migrations.0002_role_permissions",
    "services.applications.migrations.0007_ledger_permissions",
    "services.members.migrations.0008_closure_permissions",
    "services.courses.migrations.0002_course_manager_role",
    "services.members.migrations.0012_certificate_permissions",
    "services.mutual_aid.migrations.0002_roles",
    "services.hardship.migrations.0002_roles",
    "services.hardship.migrations.0004_campaign_roles",
    "services.applications.migrations.0011_notice_roles",
]


@pytest.fixture
def staff_groups(db):
    """The staff groups that migrations create; a transactional test's flush removes them."""
    from django.apps import apps

    import_module("services.members.migrations.0002_streets").add_streets(apps, None)
    for migration in ROLE_MIGRATIONS:
        import_module(migration).grant_roles(apps, None)


@pytest.fixture(autouse=True)
def _sms_outbox():
    from services.members.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.keys.clear()
    yield LocmemSmsBackend.outbox


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox


@pytest.fixture
def editor(staff_groups):
    """A member of the 报告编辑 group: may edit and publish reports."""
    return factories.StaffUserFactory(groups=["报告编辑"])


def login_staff(client, user):
    """Log a member of staff in as the admin requires: password session plus a verified TOTP
    device (what django_otp.login records after a correct code)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def editor_client(client, editor):
    return login_staff(client, editor)
