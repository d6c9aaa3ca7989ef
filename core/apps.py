from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

# Models whose rows the public pages show: a write to any of them makes every
# cached page stale (see core.pagecache). Votes are left out on purpose: they
# are shown only after results are published, when no more can be cast.
CATALOGUE_MODELS = [
    "practices.Practice",
    "practices.Partnership",
    "practices.PracticeLink",
    "practices.PracticeAttachment",
    "practices.PracticeType",
    "practices.Topic",
    "practices.FundingSource",
    "organisations.Organisation",
    "organisations.Membership",
    "competitions.Competition",
    "competitions.Edition",
    "competitions.EditionOrganiser",
    "competitions.Category",
    "competitions.Entry",
]


def _sync_roles(sender, **kwargs):
    from core.roles import roles_sync

    roles_sync()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Wspólne")

    def ready(self):
        from django.apps import apps

        from core.pagecache import catalogue_changed

        # After every migrate, once all apps' permissions exist.
        post_migrate.connect(_sync_roles, dispatch_uid="core.sync_roles")
        for label in CATALOGUE_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(catalogue_changed, sender=model, dispatch_uid=f"stale:{label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    catalogue_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"stale:{label}.{field.name}",
                )
