from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from stdnum.cn import ric, uscc

from reports.models import AnnualReport, KeyFigure, PlanItem, ReportSection
from services.members.models import (
    EmploymentForm,
    Enterprise,
    EnterpriseSize,
    GrassrootsUnion,
    Member,
    StaffProfile,
    Street,
)
from services.members.pii import blind_index, mask_id_number
from services.members.validators import birth_date_of, sex_of

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            groups = list(Group.objects.filter(name__in=names))
            assert len(groups) == len(names), f"missing groups: {names} (see the roles fixture)"
            self.groups.add(*groups)
        if create:
            self.save()


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.Sequence(lambda n: f"报告标题{n}")
    subtitle = "钱塘区总工会年度报告"
    lede = "一年来的工作。"


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(AnnualReportFactory)
    order = factory.Sequence(lambda n: n)
    heading = factory.Sequence(lambda n: f"章节{n}")
    body = "正文第一段。\n\n正文第二段。"


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    section = factory.SubFactory(ReportSectionFactory)
    report = factory.SelfAttribute("section.report")
    order = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"数字{n}")
    value = Decimal("10")
    unit = "人"


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    report = factory.SubFactory(AnnualReportFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"行动{n}")
    body = "计划内容。"


def make_id_number(region="330104", birth="19900101", sequence=123) -> str:
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(serial: int) -> str:
    body = f"91330114MA3{serial:06d}"
    return body + uscc.calc_check_digit(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    street = factory.LazyFunction(lambda: Street.objects.get(code="XS"))
    size = EnterpriseSize.SMALL
    has_union = True


class GrassrootsUnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrassrootsUnion

    name = factory.Sequence(lambda n: f"测试基层工会{n}")
    street = factory.LazyFunction(lambda: Street.objects.get(code="XS"))


class MemberFactory(factory.django.DjangoModelFactory):
    """A registered worker (not yet a union member) with a valid, unique ID number."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..mobile"))
    real_name = "张三丰"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(
        lambda n: make_id_number(sequence=n % 1000, birth=f"{1960 + n // 1000}0101")
    )
    id_number_index = factory.LazyAttribute(lambda o: blind_index(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_id_number(o.id_number))
    birth_date = factory.LazyAttribute(lambda o: birth_date_of(o.id_number))
    sex = factory.LazyAttribute(lambda o: sex_of(o.id_number))
    street = factory.LazyFunction(lambda: Street.objects.get(code="XS"))
    employment_form = EmploymentForm.CONTRACT

    @factory.post_generation
    def consent(self, create, given=True, **kwargs):
        from services.members.services import consent_grant

        if create and given is not False:
            consent_grant(user=self.user)


def street_staff(street_code: str | None, groups=("街道初审员",)):
    user = StaffUserFactory(groups=list(groups))
    street = Street.objects.get(code=street_code) if street_code else None
    StaffProfile.objects.create(user=user, street=street)
    return user
