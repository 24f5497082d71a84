from wagtail.users.apps import WagtailUsersAppConfig


class AccountsAdminConfig(WagtailUsersAppConfig):
    """wagtail.users with the platform's account screens (INSTALLED_APPS names this class)."""

    user_viewset = "foundation.admin.users.AccountViewSet"
