from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views as health
from config.admin_site import PortalAdminSite
from reports import views as report_views
from services.members import views as member_views

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"

# Staff reach the admin with a password and a TOTP code from a registered device.
admin.site.__class__ = PortalAdminSite

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
    path("privacy/", member_views.privacy_notice, name="privacy_notice"),
    path("accounts/register/", member_views.register, name="register"),
    path("accounts/login/", member_views.PortalLoginView.as_view(), name="login"),
    path("accounts/login/sms/", member_views.login_with_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", member_views.password_reset_request, name="password_reset"),
    path(
        "accounts/password/reset/confirm/",
        member_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("me/", include("services.members.urls")),
    path("", include("services.applications.urls")),
    path("", include("services.tuition.urls")),
    path("", include("services.courses.urls")),
    path("", include("services.mutual_aid.urls")),
    path("", include("services.hardship.urls")),
    prefix_default_language=False,
)
