from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from reports.models import AnnualReport, KeyFigure, PlanItem, ReportSection

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
