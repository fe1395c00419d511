from django.urls import path

from services.hardship import views

app_name = "hardship"

urlpatterns = [
    path("me/hardship/", views.mine, name="mine"),
    path("me/hardship/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("hardship/programs/<int:pk>/", views.program, name="program"),
]
