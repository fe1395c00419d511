from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_archive, name="archive"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>/figures.csv", views.report_figures_csv, name="figures_csv"),
    path("<int:year>/figures.json", views.report_figures_json, name="figures_json"),
    path("<int:year>/statistics.csv", views.report_statistics_csv, name="statistics_csv"),
    path("<int:year>/statistics.json", views.report_statistics_json, name="statistics_json"),
    path("<int:year>/cover", views.report_cover, name="cover"),
]
