"""Every registered admin list takes the same queries for a page of 2 rows as for a page of
20: a row never adds a query (no N+1). The data is a small district from `seed_scale`
(every program, claims, visits, courses, payments, reports)."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login_staff
from tests.factories import StaffUserFactory

# Lists that hold fewer than three rows in this data cannot show the difference; they are
# named here so that a list missing from the walk is a decision, not an accident.
FEW_ROWS_EXPECTED = {
    "reports.reportrevision", "reports.annualreport", "portal.", "axes.", "otp_totp.",
    "django_tasks_database.", "auth.group", "members.street", "members.closurerequest",
    "applications.exportjob", "applications.noticeobjection", "courses.coursebar",
    "mutual_aid.plan", "mutual_aid.rosterimport", "hardship.campaign",
    "applications.publicnotice", "applications.paymentbatch",
}  # fmt: skip


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def district(db, staff_groups):
    from services.members.audit import audit_record
    from services.members.models import Member

    call_command(
        "seed_scale", members=400, enterprises=12, applications=200, claims=40, visits=150,
        enrolments=30, stdout=io.StringIO(),
    )  # fmt: skip
    staff = StaffUserFactory(is_superuser=True)
    for member in Member.objects.all()[:5]:
        audit_record(actor=staff, member=member, action="id_number", ip_address="10.0.0.1")


def test_no_admin_list_adds_a_query_per_row(district):
    client = login_staff(Client(), StaffUserFactory(is_superuser=True))
    grown, untested = {}, []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows = model_admin.get_queryset(type("R", (), {"user": client_user(client)})()).count()
        if rows < 3:
            untested.append(label)
            continue
        before = model_admin.list_per_page
        try:
            model_admin.list_per_page = 2
            few = queries(client, url)
            model_admin.list_per_page = 20
            many = queries(client, url)
        finally:
            model_admin.list_per_page = before
        if many != few:
            grown[label] = (few, many)
    assert grown == {}, f"queries for 2 rows and for 20: {grown}"
    unexpected = [
        label for label in untested if not any(label.startswith(p) for p in FEW_ROWS_EXPECTED)
    ]
    assert unexpected == [], f"lists without rows to walk: {unexpected}"


def client_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])
