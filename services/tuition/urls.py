from django.urls import path

from services.tuition import views

app_name = "tuition"

urlpatterns = [path("<int:pk>/apply/", views.apply, name="apply")]
