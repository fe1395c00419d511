"""Walk the URL resolver: every worker URL that names an object, tried by another worker."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from services.applications.models import Program
from services.applications.services import application_create, attachment_add
from services.members.services import join_request_submit
from tests.factories import TEST_PASSWORD, EnterpriseFactory, GrassrootsUnionFactory, MemberFactory

# Routes with an id that is not a worker's object: public report years, programs and courses.
PUBLIC_PREFIXES = ("reports/", "services/", "courses/")


def worker_routes():
    """(namespace:name, route) for every URL pattern with an object id in it."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and "<int:" in str(entry.pattern):
                found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns)
    # The admin checks staff scoping itself (test_staff_admin, test_rules_and_access).
    return [
        (name, route)
        for name, route in found
        if not name.startswith("admin:") and not route.startswith(PUBLIC_PREFIXES)
    ]


def test_the_walk_finds_the_worker_routes():
    names = {name for name, _ in worker_routes()}
    assert {"members:join_detail", "members:join_withdraw"} <= names
    assert {"applications:detail", "applications:file", "applications:submit"} <= names
    assert {"courses:cancel", "members:certificate_file"} <= names


@pytest.fixture
def owners_objects(db, staff_groups):
    from services.courses.services import course_enrol
    from services.members.certificates import certificate_upload
    from tests.services.courses.conftest import make_course

    owner = MemberFactory(mobile="13100000001")
    union = GrassrootsUnionFactory()
    join_request = join_request_submit(
        member=owner, actor=owner.user, street=union.street, grassroots_union=union,
        employment_form="rider", employer_text="平台",
    )  # fmt: skip
    now = timezone.now()
    program = Program.objects.create(
        code="T", name="t", year=now.year, kind="tuition",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        budget=Decimal(1000), per_person_cap=Decimal(100),
    )  # fmt: skip
    application = application_create(
        program=program, applicant=owner, requested_amount=Decimal(10), reason="",
        actor=owner.user,
    )  # fmt: skip
    from tests.services.applications.conftest import pdf

    attachment = attachment_add(
        application=application, actor=owner.user, kind="other", upload=pdf()
    )
    # Admitted meanwhile (the join request stays open for the test above), then enrolled.
    owner.verification_status = "verified"
    owner.save(update_fields=["verification_status"])
    enrollment = course_enrol(course=make_course(), member=owner, actor=owner.user)
    certificate = certificate_upload(
        member=owner, actor=owner.user, upload=pdf("cert.pdf", marker="cert"),
        data={"level": "中级工", "occupation": "电工", "certificate_number": "S0000330100001",
              "issued_on": timezone.localdate(), "issuer": "钱塘区职业技能鉴定中心"},
    )  # fmt: skip
    return {
        "join": join_request, "application": application, "attachment": attachment,
        "enrollment": enrollment, "certificate": certificate, "claim": mutual_aid_claim(owner),
        "help_request": help_request(owner),
    }  # fmt: skip


def mutual_aid_claim(owner):
    """A draft claim of the owner's, on a plan covering them."""
    from services.mutual_aid.models import Plan
    from services.mutual_aid.roster import coverage_add
    from services.mutual_aid.seed import seed_plans
    from services.mutual_aid.services import claim_file
    from tests.factories import street_staff

    seed_plans()
    plan = Plan.objects.get(kind="inpatient")
    coverage_add(
        plan=plan, member=owner, enterprise=owner.employer or EnterpriseFactory(),
        actor=street_staff(None, groups=["区总复审员"]), starts_on=plan.cover_starts,
    )  # fmt: skip
    today = timezone.localdate()
    return claim_file(
        member=owner, plan=plan, actor=owner.user,
        data={"kind": "inpatient", "hospital": "医院", "hospital_level": "三级",
              "admitted_on": today - timedelta(days=3), "discharged_on": today,
              "diagnosis": "保密的诊断", "total_cost": Decimal("9000"),
              "insurance_paid": Decimal("1000"), "eligible_cost": Decimal("5000"),
              "invoices": ["IDOR-0001"], "bank_card": "6222021234567890128"},
    )  # fmt: skip


def help_request(owner):
    from services.hardship.services import help_request_create

    return help_request_create(
        member=owner, actor=owner.user,
        data={"causes": ["illness"], "household_size": 3, "income_per_head": Decimal("800"),
              "situation": "保密的家庭情况"},
    )  # fmt: skip


def fill(route: str, objects) -> str:
    for prefix, key in (
        ("me/join/", "join"),
        ("me/courses/", "enrollment"),
        ("me/certificates/", "certificate"),
        ("mutual-aid/claims/", "claim"),
        ("me/hardship/", "help_request"),
    ):
        if route.startswith(prefix):
            route = route.replace("<int:pk>", str(objects[key].pk))
    route = route.replace("<int:pk>", str(objects["application"].pk))
    return "/" + route.replace("<int:attachment_pk>", str(objects["attachment"].pk))


@pytest.mark.parametrize(("name", "route"), worker_routes())
def test_another_worker_gets_404(client, owners_objects, name, route):
    intruder = MemberFactory(mobile="13100000002")
    client.post("/accounts/login/", {"username": intruder.mobile, "password": TEST_PASSWORD})
    path = fill(route, owners_objects)
    assert "<" not in path, f"no object for {route}"
    # A POST-only address opened with GET leads to its page: which is 404 for the intruder,
    # or, when the object has no page of its own, the intruder's own list (no id in it).
    response = client.get(path, follow=True)
    if response.status_code == 200:
        assert response.redirect_chain, path
        assert not any(c.isdigit() for c in response.redirect_chain[-1][0]), path
    else:
        assert response.status_code in (404, 405)
    assert client.post(path).status_code in (404, 405)
    owners_objects["join"].refresh_from_db()
    owners_objects["application"].refresh_from_db()
    assert owners_objects["join"].status == "submitted"
    assert owners_objects["application"].status == "draft"
    assert owners_objects["application"].attachments.count() == 1
    owners_objects["enrollment"].refresh_from_db()
    assert owners_objects["enrollment"].status == "enrolled"
