from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from core.roles import roles_sync

    roles_sync()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Wspólne")

    def ready(self):
        # After every migrate, once all apps' permissions exist.
        post_migrate.connect(_sync_roles, dispatch_uid="core.sync_roles")
