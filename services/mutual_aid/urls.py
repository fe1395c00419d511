from django.urls import path

from services.mutual_aid import views

app_name = "mutual_aid"

urlpatterns = [
    path("me/mutual-aid/", views.mine, name="mine"),
    path("mutual-aid/<int:pk>/claim/", views.claim, name="claim"),
    path("mutual-aid/claims/<int:pk>/edit/", views.edit, name="edit"),
]
