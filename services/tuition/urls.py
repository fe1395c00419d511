from django.urls import path

from services.tuition import views

app_name = "tuition"

urlpatterns = [
    path("services/<int:pk>/apply/", views.apply, name="apply"),
    path("me/applications/<int:pk>/edit/", views.edit, name="edit"),
]
