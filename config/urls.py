from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views as health
from reports import views as report_views

admin.site.site_header = _("钱塘区总工会 · 管理后台")
admin.site.site_title = _("钱塘区总工会管理后台")
admin.site.index_title = _("工作台")

urlpatterns = [
    path("favicon.ico", health.favicon),
    path("admin/", admin.site.urls),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
]

# Chinese pages at /, English at /en/: a language switch is a plain link, and a page's
# address says which language it is in.
urlpatterns += i18n_patterns(
    path("", report_views.home, name="home"),
    path("reports/", include("reports.urls")),
    prefix_default_language=False,
)
