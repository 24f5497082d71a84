from django.urls import path

from . import following_views
from . import profile_views as views

app_name = "foundation"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("meine-daten/", views.data_export, name="data_export"),
    path("konto-loeschen/", views.account_delete, name="account_delete"),
    path("benachrichtigungen/", views.notifications, name="notifications"),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification_open"),
    path("benachrichtigungen/<int:pk>/gelesen/", views.notification_read, name="notification_read"),
    path("folgen/", following_views.following_page, name="following"),
    path("folgen/umschalten/", following_views.follow_toggle, name="follow_toggle"),
    path("abbestellen/<str:token>/", following_views.unsubscribe, name="unsubscribe"),
]
