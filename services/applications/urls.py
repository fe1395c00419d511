from django.urls import path

from services.applications import notice_views, views

app_name = "applications"

urlpatterns = [
    path("services/", views.program_list, name="programs"),
    path("services/<int:pk>/", views.program_detail, name="program"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice"),
    path("me/applications/", views.application_list, name="list"),
    path("me/applications/<int:pk>/", views.application_detail, name="detail"),
    path("me/applications/<int:pk>/upload/", views.attachment_upload, name="upload"),
    path("me/applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("me/applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "me/applications/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="file",
    ),
    path(
        "me/applications/<int:pk>/delete-file/<int:attachment_pk>/",
        views.attachment_delete,
        name="file_delete",
    ),
    path("me/inbox/", views.inbox, name="inbox"),
]
