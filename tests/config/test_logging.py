"""What the console log says when a client is refused, and when the portal itself fails."""

import contextlib
import io
import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path

from tests.conftest import login_staff
from tests.factories import StaffUserFactory


@contextlib.contextmanager
def console_log():
    handler = logging.getHandlerByName("console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


@login_not_required
def broken(request):
    raise RuntimeError("the portal's own mistake")


urlpatterns = [path("broken/", broken)]


def test_a_refused_client_is_one_warning_line_without_a_traceback(db, staff_groups):
    staff = login_staff(Client(), StaffUserFactory(is_superuser=True))
    with console_log() as log:
        assert Client().get("/", HTTP_HOST="evil.example").status_code == 400
        members = "/admin/members/member/"
        assert staff.get(members, {"mobile__startswith": "139"}).status_code == 400
        assert Client().get("/no-such-page/").status_code == 404
    text = log.getvalue()
    assert "WARNING django.security.DisallowedHost" in text
    assert "WARNING django.security.DisallowedModelAdminLookup" in text
    assert "Not Found: /no-such-page/" in text
    assert "Traceback" not in text
    assert " ERROR " not in text


@pytest.mark.urls(__name__)
def test_the_portals_own_error_keeps_its_traceback_at_error(db):
    client = Client(raise_request_exception=False)
    with console_log() as log:
        assert client.get("/broken/").status_code == 500
    text = log.getvalue()
    assert "ERROR django.request Internal Server Error: /broken/" in text
    assert "Traceback" in text and "the portal's own mistake" in text
