from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Dobre praktyki")

    def ready(self):
        from practices.receivers import connect_receivers

        connect_receivers()
