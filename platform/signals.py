from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.core.cache import cache
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver


@receiver(post_migrate)
def create_role_groups(sender, app_config=None, using="default", **kwargs) -> None:  # noqa: ANN001
    """Keep the role groups in step with the code after every migrate.

    Runs once per migrate (for this app). Permissions of all apps are created first because
    this receiver may run before django.contrib.auth's own post_migrate handler.
    """
    if app_config is None or app_config.label != "foundation":
        return
    from .roles import ensure_roles

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    ensure_roles()


@receiver([post_save, post_delete], sender="foundation.Phase")
def forget_cached_phases(sender, instance, **kwargs) -> None:  # noqa: ANN001
    from .models.consultations import phases_cache_key

    cache.delete(phases_cache_key(instance.consultation_id))


@receiver([post_save, post_delete], sender="account.EmailAddress")
def forget_cached_verification(sender, instance, **kwargs) -> None:  # noqa: ANN001
    from .roles import verified_cache_key

    cache.delete(verified_cache_key(instance.user_id))


def tell_the_blocked_person(sender, *, user, **kwargs) -> None:  # noqa: ANN001
    """A blocked person learns it by e-mail, with the reason (they can no longer sign in)."""
    from django.utils.translation import gettext as _

    from .notifications import Message, notify, recipient_language

    with recipient_language(user):
        body = [
            _(
                "The coordination office has blocked your account: you can no longer sign in, "
                "write, support or report."
            ),
            _("Reason: %(reason)s") % {"reason": user.blocked_reason},
            _(
                "If you think this was a mistake, please contact the coordination office (see the "
                "imprint)."
            ),
        ]
        notify(
            recipient=user,
            message=Message(
                kind="account", title=_("Your account has been blocked"), body="\n\n".join(body)
            ),
            inapp=False,
        )
