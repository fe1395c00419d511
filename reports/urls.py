from django.urls import path, register_converter

from reports import views


class YearConverter:
    """A report's year as its one address writes it: four digits, no leading zero
    (/reports/00002026/ is not a second address of the 2026 report)."""

    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearConverter, "year")

app_name = "reports"

urlpatterns = [
    path("", views.report_archive, name="archive"),
    path("<year:year>/", views.report_detail, name="detail"),
    path("<year:year>/figures.csv", views.report_figures_csv, name="figures_csv"),
    path("<year:year>/figures.json", views.report_figures_json, name="figures_json"),
    path("<year:year>/statistics.csv", views.report_statistics_csv, name="statistics_csv"),
    path("<year:year>/statistics.json", views.report_statistics_json, name="statistics_json"),
    path("<year:year>/cover", views.report_cover, name="cover"),
]
