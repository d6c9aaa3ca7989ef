from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from core.signals import post_bulk_create, post_update

# Models whose rows the public pages show: a write to any of them makes every
# cached page stale (see core.pagecache). Votes are left out on purpose: they
# are shown only after results are published, when no more can be cast.
PAGE_SOURCES = [
    "practices.Practice",
    "practices.Partnership",
    "practices.PracticeLink",
    "practices.PracticeAmount",
    "practices.PracticeMilestone",
    "practices.PracticeAttachment",
    "practices.PracticeType",
    "practices.Topic",
    "practices.FundingSource",
    "organisations.Organisation",
    "organisations.Membership",
    "competitions.Competition",
    "competitions.Edition",
    "competitions.EditionOrganiser",
    "competitions.EditionLink",
    "competitions.Category",
    "competitions.Entry",
]


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Katalog")

    def ready(self):
        from catalogue.index.receivers import connect_receivers
        from core.pagecache import catalogue_changed

        connect_receivers()
        for label in PAGE_SOURCES:
            model = self.apps.get_model(label)
            uid = f"stale-pages:{label}"
            for signal in (post_save, post_delete, post_update, post_bulk_create):
                signal.connect(catalogue_changed, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    catalogue_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}.{field.name}",
                )
