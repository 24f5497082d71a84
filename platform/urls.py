from django.urls import path

from . import profile_views as views

app_name = "foundation"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("meine-daten/", views.data_export, name="data_export"),
    path("konto-loeschen/", views.account_delete, name="account_delete"),
    path("benachrichtigungen/", views.notifications, name="notifications"),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification_open"),
    path("benachrichtigungen/<int:pk>/gelesen/", views.notification_read, name="notification_read"),
]
