"""The statistics page for staff (服务项目统计, ``/admin/statistics/``) and its Excel file.

Staff who may see applications (``applications.view_application``: street reviewers,
district approvers, finance, system administrators) choose a year, and optionally a program,
a month and (district staff only) a street. Street staff always see their own street: the
street filter is not offered to them and a ``street`` parameter is ignored; staff with no
street and no district role see nothing, as street scoping fails closed. The numbers, and
what they mean, come from ``services.applications.statistics``; the Excel file is made from
the same ``Statistics`` as the page, so it holds the same numbers.

The pages are added to the admin site by ``PortalAdminSite.get_urls`` (``statistics_urls``).
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.statistics import (
    NOTES,
    Filters,
    Statistics,
    describe_filters,
    programs_by_year,
    statistics,
    this_year,
)
from services.applications.statistics_export import statistics_xlsx
from services.charts import bar_chart
from services.members.audit import Action, audit_request
from services.members.models import Street
from services.members.selectors import staff_scope
from services.money import yuan

PERMISSION = "applications.view_application"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_A_CHOICE = {"invalid_choice": gettext_lazy("请从列表中选择。")}


def _choice(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, required=False, empty_value=None, error_messages=NOT_A_CHOICE
    )


class StatisticsFilterForm(forms.Form):
    """The filters, as a GET form; a value not offered (another year's program, a street the
    reader may not choose, letters, NUL bytes) is refused with a message beside the field."""

    year = _choice(gettext_lazy("年度"))
    program = _choice(gettext_lazy("项目"))
    street = _choice(gettext_lazy("街道"))
    month = _choice(gettext_lazy("月份"))

    def __init__(self, data, *, programs: dict, streets: list[Street], choose_street: bool):
        super().__init__(data)
        years = sorted({this_year(), *programs}, reverse=True)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        try:
            year = int(data.get("year", ""))
        except ValueError:
            year = this_year()
        # The programs of the year asked for (of this year while the year is not valid).
        self.programs = programs.get(year, [])
        self.fields["program"].choices = [
            ("", _("全部项目")), *((p.pk, str(p)) for p in self.programs)
        ]  # fmt: skip
        self.streets = streets
        if choose_street:
            self.fields["street"].choices = [
                ("", _("全部街道")), *((s.pk, s.name) for s in streets)
            ]  # fmt: skip
        else:
            del self.fields["street"]
        self.fields["month"].choices = [
            ("", _("全年")), *((m, _("%(month)s月") % {"month": m}) for m in range(1, 13))
        ]  # fmt: skip

    def filters(self, *, own_street: Street | None) -> Filters:
        data = self.cleaned_data
        program = next((p for p in self.programs if p.pk == data["program"]), None)
        street = own_street or next((s for s in self.streets if s.pk == data.get("street")), None)
        return Filters(
            year=data["year"] or this_year(), program=program, street=street, month=data["month"]
        )

    def query(self) -> str:
        """The valid filters as a query string, for the export link."""
        return urlencode({k: v for k, v in self.cleaned_data.items() if v is not None})


def _board(request) -> dict:
    """The form and, when it is valid and the reader sees some street, the statistics."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    scope = staff_scope(request.user)
    if not scope.everything and scope.street is None:
        return {"sees_nothing": True}
    data = request.GET.copy()
    data.setdefault("year", str(this_year()))
    streets = list(scope.filter(Street.objects.order_by("order", "code"), "pk"))
    form = StatisticsFilterForm(
        data, programs=programs_by_year(), streets=streets, choose_street=scope.everything
    )
    if not form.is_valid():
        return {"form": form}
    filters = form.filters(own_street=None if scope.everything else scope.street)
    stats = statistics(filters=filters, scope=scope, programs=form.programs, streets=streets)
    return {
        "form": form,
        "stats": stats,
        "own_street": None if scope.everything else scope.street,
        "export_query": form.query(),
    }


def charts(stats: Statistics) -> list[dict]:
    def money(value) -> str:
        return _("%(amount)s 元") % {"amount": yuan(value)}

    def count(value) -> str:
        return _("%(n)s 件") % {"n": value}

    return [
        bar_chart(
            chart_id="chart-street-paid", caption=_("已发放金额（按街道）"), as_text=money,
            rows=[(line.label, line.paid) for line in stats.streets],
        ),
        bar_chart(
            chart_id="chart-month-submitted", caption=_("每月提交的申请"), as_text=count,
            rows=[(line.label, line.submitted) for line in stats.months],
        ),
        bar_chart(
            chart_id="chart-month-paid", caption=_("每月发放金额"), as_text=money,
            rows=[(line.label, line.paid) for line in stats.months],
        ),
    ]  # fmt: skip


def statistics_page(request, site):
    board = _board(request)
    if "stats" in board:
        board["charts"] = charts(board["stats"])
        board["filter_words"] = describe_filters(board["stats"].filters)
    context = {**site.each_context(request), "title": _("服务项目统计"), "notes": NOTES, **board}
    return TemplateResponse(request, "admin/applications/statistics.html", context)


def statistics_export(request, site):
    """Every table of the page in one workbook; with bad filters, the page and its message."""
    board = _board(request)
    if "stats" not in board:
        return statistics_page(request, site)
    response = HttpResponse(statistics_xlsx(board["stats"]), content_type=XLSX)
    year = board["stats"].filters.year
    audit_request(
        request, Action.EXPORT, subject=f"服务项目统计 {year}（{request.GET.urlencode()}）"
    )
    response["Content-Disposition"] = f'attachment; filename="statistics-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def statistics_urls(site) -> list:
    def page(request):
        return statistics_page(request, site)

    def export(request):
        return statistics_export(request, site)

    return [
        path("statistics/", site.admin_view(page), name="statistics"),
        path("statistics/export.xlsx", site.admin_view(export), name="statistics_export"),
    ]
