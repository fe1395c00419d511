from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services.applications.models import Program, ProgramKind
from services.members.models import VerificationStatus
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff


def pdf(name="proof.pdf", marker="1"):
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + marker.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def program(db):
    now = timezone.now()
    return Program.objects.create(
        code="CMK",
        name="厂门口上大学",
        year=now.year,
        kind=ProgramKind.TUITION,
        rule_params={"share": "0.6", "cap": "4000"},
        required_proofs=["admission", "receipt"],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        budget=Decimal("100000"),
        per_person_cap=Decimal("4000"),
    )


def make_eligible(**kwargs):
    return MemberFactory(
        verification_status=VerificationStatus.VERIFIED,
        joined_on=timezone.localdate() - timedelta(days=400),
        membership_number=f"QT2025{MemberFactory._meta.model.objects.count() + 1:06d}",
        **kwargs,
    )


@pytest.fixture
def member(db):
    return make_eligible(mobile="13200000001", real_name="吴学员")


@pytest.fixture
def worker(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


@pytest.fixture
def reviewer(staff_groups):
    return street_staff("XS")


@pytest.fixture
def approver(staff_groups):
    return street_staff(None, groups=["区总复审员"])


@pytest.fixture
def finance(staff_groups):
    return street_staff(None, groups=["财务"])


@pytest.fixture
def staff_client(client_factory=None):
    from django.test import Client

    def _login(user):
        return login_staff(Client(), user)

    return _login
