from django.urls import path

from . import views

app_name = "foundation"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("benachrichtigungen/", views.notifications, name="notifications"),
]
