"""Demo data for a first run: enterprises and unions in each street, two workers, and one
staff account per role with a known TOTP device. Refuses to run in production; leaves
whatever is already there alone, so running it again loses nothing."""

import base64
import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric, uscc

from services.members import services
from services.members.models import (
    EmploymentForm,
    Enterprise,
    EnterpriseSize,
    GrassrootsUnion,
    Member,
    StaffProfile,
    Street,
)

DEMO_PASSWORD = "qiantang-demo-2026"  # noqa: S105  (demo accounts; refused in production)

# username, name, superuser, groups, street code (street reviewers only)
DEMO_STAFF = [
    ("admin", "系统管理员（演示）", True, ["系统管理员"], None),
    ("editor", "报告编辑（演示）", False, ["报告编辑"], None),
    ("reviewer", "下沙街道初审员（演示）", False, ["街道初审员"], "XS"),
    ("approver", "区总复审员（演示）", False, ["区总复审员"], None),
    ("finance", "财务（演示）", False, ["财务"], None),
    ("courses", "下沙街道课程管理员（演示）", False, ["课程管理员"], "XS"),
]
DEMO_WORKERS = [
    # mobile, name, ID number without its check digit, employment form, joins the union
    ("13800000001", "王建国", "33010419900101123", EmploymentForm.CONTRACT, True),
    ("13800000002", "李晓明", "33010219950505002", EmploymentForm.RIDER, False),
]
SECTOR_FEDERATION = "区民办教育培训行业社会组织工会联合会"
# Members of 下沙街道 approved for 求学圆梦 and shown on its public notice (公示):
# mobile, name, works for a listed enterprise (else a courier), tuition paid
DEMO_BENEFICIARIES = [
    ("13800000201", "陈志强", True, "5000"),
    ("13800000202", "欧阳晓东", False, "4200"),
    ("13800000203", "阿依古丽·买买提", True, "6000"),
]


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo account, so the printed secret stays valid across runs."""
    return hashlib.sha1(f"qiantang-demo-{username}".encode()).hexdigest()  # noqa: S324


def base32_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def credit_code(serial: int) -> str:
    body = f"91330114MA2{serial:06d}"
    return body + uscc.calc_check_digit(body)


class Command(BaseCommand):
    help = "Create demo organisations, workers and staff (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION or not settings.PORTAL_DEMO_MODE:
            raise CommandError("demo data is never created in production")
        with transaction.atomic():
            self._organisations()
            staff = self._staff()
            self._workers(approver=staff["approver"])
            self._full_course()
            self._certificate(reviewer=staff["reviewer"])
            self._mutual_aid(approver=staff["approver"])
            self._hardship()
            self._public_notice(reviewer=staff["reviewer"], approver=staff["approver"])

    def _certificate(self, *, reviewer):
        """A verified skill certificate on 王建国's record, so the skill awards can be tried."""
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from pypdf import PdfWriter

        from services.members.certificates import certificate_decide, certificate_upload

        member = Member.objects.filter(mobile=DEMO_WORKERS[0][0]).first()
        if member is None or member.certificates.exists():
            return
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        certificate = certificate_upload(
            member=member, actor=member.user,
            upload=SimpleUploadedFile("证书.pdf", buffer.getvalue(), "application/pdf"),
            data={"level": "高级工", "occupation": "电工", "certificate_number": "DEMO20250001",
                  "issued_on": timezone.localdate() - timedelta(days=60),
                  "issuer": "钱塘区职业技能等级认定中心（演示）"},
        )  # fmt: skip
        certificate_decide(certificate=certificate, actor=reviewer, step="verify")
        self.stdout.write("  王建国 has a verified skill certificate (高级工 电工).")

    def _hardship(self):
        """王建国 has asked for hardship help, so the home visit and filing can be tried."""
        from decimal import Decimal

        from services.hardship.services import help_can_request, help_request_create

        member = Member.objects.filter(mobile=DEMO_WORKERS[0][0]).first()
        if member is None or member.help_requests.exists() or not help_can_request(member=member):
            return
        help_request_create(
            member=member, actor=member.user,
            data={"causes": ["illness", "schooling"], "household_size": 3,
                  "income_per_head": Decimal("850"),
                  "situation": "（演示）妻子患病长期治疗，孩子上初中"},
        )  # fmt: skip
        self.stdout.write("  王建国 has asked for hardship help (帮扶申请, for the home visit).")

    def _public_notice(self, *, reviewer, approver):
        """全总“求学圆梦行动” is a program whose awards are published (公示): three demo
        members are approved, and a notice of them is on /notices/ for the next 7 days (a new
        one when the last has ended)."""
        from services.applications.models import Program
        from services.applications.notices import notice_create

        year = timezone.localdate().year
        program = Program.objects.filter(code="QXYM", year=year, batch=1).first()
        if program is None or program.notices.current().exists():
            return
        Program.objects.filter(pk=program.pk).update(requires_notice=True)
        program.refresh_from_db()
        for index, row in enumerate(DEMO_BENEFICIARIES, start=1):
            self._beneficiary(program, index, *row, reviewer=reviewer, approver=approver)
        now = timezone.now()
        notice = notice_create(
            program=program, title=f"{year}年{program.name}获批名单公示（演示）",
            intro="以下职工经街道初审、区总复审，拟获学历补助，现予公示。",
            starts_at=now, ends_at=now + timedelta(days=7),
            objection_contact="钱塘区总工会（演示）：钱塘区某某路1号，电话 0571-00000000",
            actor=approver,
        )  # fmt: skip
        self.stdout.write(f"  A public notice (公示) of 求学圆梦 awards: /notices/{notice.pk}/")

    def _beneficiary(self, program, index, mobile, name, listed, paid, *, reviewer, approver):
        import io
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile
        from pypdf import PdfWriter
        from stdnum import luhn

        from services.applications.engine import application_transition
        from services.applications.services import attachment_add
        from services.tuition.services import tuition_apply

        street = Street.objects.get(code="XS")
        member = Member.objects.filter(mobile=mobile).first()
        if member is None:
            employer = Enterprise.objects.filter(street=street, has_union=True).first()
            body = f"33011419880808{index:02d}1"
            member = services.member_register(
                mobile=mobile, password=DEMO_PASSWORD, real_name=name,
                id_number=body + ric.calc_check_digit(body + "0"),
                employer=employer if listed else None,
                employer_name="" if listed else "某快递公司钱塘网点",
                employment_form=EmploymentForm.CONTRACT if listed else EmploymentForm.COURIER,
                consent=True,
            )  # fmt: skip
            Member.objects.filter(pk=member.pk).update(
                verification_status="verified", street=street,
                joined_on=timezone.localdate() - timedelta(days=400),
                membership_number=f"QTDEMO{100 + index:06d}",
            )  # fmt: skip
            member.refresh_from_db()
        if member.applications.filter(program=program).exists():
            return
        card = f"622202000000{index:06d}"
        application = tuition_apply(
            member=member, program=program, actor=member.user,
            data={"school": "浙江开放大学", "major": "机电一体化技术", "level": "junior_college",
                  "academic_year": f"{program.year}-{program.year + 1}",
                  "tuition_paid": Decimal(paid), "bank_card": card + luhn.calc_check_digit(card)},
        )  # fmt: skip
        for kind in program.required_proofs:
            writer = PdfWriter()
            writer.add_blank_page(width=595, height=842)
            writer.add_metadata({"/Title": f"{mobile}-{kind}"})  # one file, one SHA-256
            buffer = io.BytesIO()
            writer.write(buffer)
            upload = SimpleUploadedFile(f"{kind}.pdf", buffer.getvalue(), "application/pdf")
            attachment_add(application=application, actor=member.user, kind=kind, upload=upload)
        for actor, step in (
            (member.user, "submit"),
            (reviewer, "recommend"),
            (approver, "approve"),
        ):
            decision = application_transition(application=application, actor=actor, step=step)
            if not decision:
                raise CommandError(f"demo application not {step}: {decision.reason}")

    def _mutual_aid(self, *, approver):
        """王建国 is covered by this year's inpatient mutual aid, so a claim can be tried."""
        from services.mutual_aid.models import Plan, PlanKind
        from services.mutual_aid.roster import coverage_add

        member = Member.objects.filter(mobile=DEMO_WORKERS[0][0]).first()
        plan = Plan.objects.filter(
            kind=PlanKind.INPATIENT, cover_starts__year=timezone.localdate().year
        ).first()
        if member is None or plan is None or member.coverages.filter(plan=plan).exists():
            return
        coverage_add(
            plan=plan,
            member=member,
            enterprise=member.employer,
            actor=approver,
            starts_on=plan.cover_starts,
        )
        self.stdout.write(f"  王建国 is covered by {plan} (file a claim at /me/mutual-aid/).")

    def _full_course(self):
        """An open course of 下沙街道 and one of 白杨街道, each made small (3 places) and full
        with a waitlist of 3 by demo trainees (演示学员, members already), so the waitlist can
        be tried."""
        for street, first in (("XS", 0), ("BY", 6)):
            self._fill_course(street, first)

    def _fill_course(self, street_code, first):
        from services.courses.models import Course, CourseStatus
        from services.courses.services import course_enrol

        now = timezone.now()
        course = (
            Course.objects.filter(
                street__code=street_code, status=CourseStatus.OPEN, enrol_opens_at__lt=now,
                enrol_closes_at__gt=now,
            )
            .order_by("enrol_closes_at")
            .first()
        )  # fmt: skip
        if course is None or course.enrollments.exists():
            return
        Course.objects.filter(pk=course.pk).update(capacity=3)
        for index in range(first, first + 6):
            mobile = f"138000001{index:02d}"
            member = Member.objects.filter(mobile=mobile).first()
            if member is None:
                body = f"33011419900101{index + 1:02d}1"
                name = f"演示学员{index + 1}"
                member = services.member_register(
                    mobile=mobile, password=DEMO_PASSWORD, real_name=name,
                    id_number=body + ric.calc_check_digit(body + "0"), employer=None,
                    employer_name="演示单位", employment_form=EmploymentForm.CONTRACT,
                    consent=True,
                )  # fmt: skip
                Member.objects.filter(pk=member.pk).update(
                    verification_status="verified", joined_on=timezone.localdate(),
                    membership_number=f"QTDEMO{index + 1:06d}", street=course.street,
                )  # fmt: skip
                member.refresh_from_db()
            course_enrol(course=Course.objects.get(pk=course.pk), member=member, actor=member.user)
        self.stdout.write(f"  Course with a waitlist: /courses/{course.pk}/ ({course.title})")

    def _organisations(self):
        serial = 0
        for street in Street.objects.all():
            short = street.name.removesuffix("街道")
            for kind, size, has_union in [
                ("精密制造有限公司", EnterpriseSize.MEDIUM, True),
                ("物流服务有限公司", EnterpriseSize.SMALL, False),
            ]:
                serial += 1
                enterprise, _ = Enterprise.objects.get_or_create(
                    name=f"杭州钱塘{short}{kind}",
                    defaults={
                        "credit_code": credit_code(serial),
                        "street": street,
                        "size": size,
                        "has_union": has_union,
                    },
                )
                if has_union:
                    GrassrootsUnion.objects.get_or_create(
                        name=f"{enterprise.name}工会",
                        defaults={"enterprise": enterprise, "street": street},
                    )
            GrassrootsUnion.objects.get_or_create(
                name=f"{street.name}新就业形态劳动者联合工会", defaults={"street": street}
            )
        GrassrootsUnion.objects.get_or_create(
            name=SECTOR_FEDERATION,
            defaults={"sector": "民办教育培训", "street": Street.objects.get(code="XS")},
        )

    def _staff(self):
        User = get_user_model()
        accounts = {}
        self.stdout.write("  Staff (password, then the TOTP code from `manage.py demo_totp NAME`):")
        for username, name, superuser, groups, street_code in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": name, "is_staff": True, "is_superuser": superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            street = Street.objects.get(code=street_code) if street_code else None
            StaffProfile.objects.get_or_create(user=user, defaults={"street": street})
            key = demo_totp_key(username)
            TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": key, "confirmed": True}
            )
            accounts[username] = user
            self.stdout.write(
                f"    {username:<9} / {DEMO_PASSWORD}  TOTP secret {base32_secret(key)}  {name}"
            )
        return accounts

    def _workers(self, *, approver):
        self.stdout.write("  Workers (log in at /accounts/login/ with the mobile number):")
        for mobile, name, id_body, form, joins in DEMO_WORKERS:
            member = Member.objects.filter(mobile=mobile).first()
            if member is None:
                street = Street.objects.get(code="XS")
                employer = (
                    Enterprise.objects.filter(street=street, has_union=True).first()
                    if form == EmploymentForm.CONTRACT
                    else None
                )
                member = services.member_register(
                    mobile=mobile,
                    password=DEMO_PASSWORD,
                    real_name=name,
                    id_number=id_body + ric.calc_check_digit(id_body + "0"),
                    employer=employer,
                    employer_name="" if employer else "某外卖平台钱塘站点",
                    employment_form=form,
                    consent=True,
                )
                if joins:
                    join_request = services.join_request_submit(
                        member=member,
                        actor=member.user,
                        street=street,
                        grassroots_union=employer.unions.first(),
                        employment_form=form,
                        employer_text=employer.name,
                    )
                    decision = services.join_request_decide(
                        join_request=join_request, actor=approver, approve=True, note="演示数据"
                    )
                    if not decision:
                        raise CommandError(f"demo join request not approved: {decision.reason}")
                    # Demo only: a member of over a year, so the subsidy programs can be tried.
                    Member.objects.filter(pk=member.pk).update(
                        joined_on=timezone.localdate() - timedelta(days=400)
                    )
                member.refresh_from_db()
            state = member.membership_number or "not yet a member"
            self.stdout.write(f"    {mobile} / {DEMO_PASSWORD}  {name} ({state})")
