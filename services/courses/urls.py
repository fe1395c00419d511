from django.urls import path

from services.courses import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.detail, name="detail"),
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("courses/programs/<int:pk>/", views.program, name="program"),
    path("me/courses/", views.mine, name="mine"),
    path("me/courses/calendar.ics", views.calendar, name="calendar"),
    path("me/courses/<int:pk>/cancel/", views.cancel, name="cancel"),
]
