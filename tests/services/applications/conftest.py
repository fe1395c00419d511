import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services.applications.engine import application_transition
from services.applications.models import Program
from services.applications.services import application_create, attachment_add
from services.members.models import VerificationStatus
from services.members.services import member_set_bank_card
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff


def pdf(name="proof.pdf", marker="1"):
    """A small valid one-page PDF; different markers (its title) give different SHA-256s."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def program(db):
    now = timezone.now()
    return Program.objects.create(
        code="CMK",
        name="厂门口上大学",
        year=now.year,
        kind="tuition",
        rule_params={"share": "0.6", "cap": "4000"},
        required_proofs=["admission", "receipt"],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        budget=Decimal("100000"),
        per_person_cap=Decimal("4000"),
    )


CARD = "6222021234567890128"  # passes the Luhn check


def make_eligible(**kwargs):
    member = MemberFactory(
        verification_status=VerificationStatus.VERIFIED,
        joined_on=timezone.localdate() - timedelta(days=400),
        membership_number=f"QT2025{MemberFactory._meta.model.objects.count() + 1:06d}",
        **kwargs,
    )
    return member_set_bank_card(member=member, card=CARD, actor=member.user)


def draft(program, member, amount="3000"):
    """A draft application made through the service, as the apply page would."""
    return application_create(
        program=program, applicant=member, requested_amount=Decimal(amount), reason="test",
        actor=member.user,
    )  # fmt: skip


def with_proofs(application, kinds=("admission", "receipt")):
    member = application.applicant
    for kind in kinds:
        attachment_add(
            application=application, actor=member.user, kind=kind, upload=pdf(kind, kind)
        )
    return application


def take(application, actor, step, **kwargs):
    """Take a workflow step; asserts nothing (returns the Decision)."""
    return application_transition(application=application, actor=actor, step=step, **kwargs)


def submitted(program, member, amount="3000"):
    application = with_proofs(draft(program, member, amount))
    assert take(application, member.user, "submit")
    return application


def approved(program, member, reviewer, approver, amount="3000"):
    application = submitted(program, member, amount)
    assert take(application, reviewer, "recommend")
    decision = take(application, approver, "approve")
    assert decision, decision.reason
    application.refresh_from_db()
    return application


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
