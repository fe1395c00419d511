from django.urls import path

from services.members import views

app_name = "members"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("consents/", views.consents, name="consents"),
    path("consents/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consent/", views.consent_renew, name="consent_renew"),
    path("mobile/", views.mobile_change, name="mobile_change"),
    path("bank-card/", views.bank_card_change, name="bank_card"),
    path("certificates/", views.certificate_list, name="certificates"),
    path("certificates/<int:pk>/file/", views.certificate_file, name="certificate_file"),
    path(
        "certificates/<int:pk>/withdraw/", views.certificate_withdraw, name="certificate_withdraw"
    ),
    path("close/", views.closure_request, name="closure"),
    path("join/", views.join_create, name="join_create"),
    path("join/<int:pk>/", views.join_detail, name="join_detail"),
    path("join/<int:pk>/withdraw/", views.join_withdraw, name="join_withdraw"),
]
