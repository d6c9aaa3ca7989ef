from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        # Every public page shows the footer and the site pages: an admin edit of a
        # site page retires the cached pages, as catalogue edits do (core.pagecache).
        from core.pagecache import catalogue_changed

        site_page = self.get_model("SitePage")
        for signal in (post_save, post_delete):
            signal.connect(catalogue_changed, sender=site_page, dispatch_uid="stale-pages:core")
