from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.forms import AdminSignInForm

admin.site.site_header = _("Katalog dobrych praktyk – redakcja")
admin.site.site_title = _("Katalog dobrych praktyk")
admin.site.index_title = _("Redakcja katalogu")
admin.site.login_form = AdminSignInForm

# Django's own admin wording that our Polish catalogue (locale/pl) words anew. Django's
# Polish puts a model's name in the nominative where grammar needs another case
# ("Dodaj dobra praktyka", "Dodaj kolejne(go)(-ną)(-ny) partner"); a label and a colon
# ("Dodaj: dobra praktyka") reads right for every model. Listed here so that
# makemessages keeps them.
ADMIN_WORDING = (
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
)

# Admin forms accept addresses typed without a scheme as https:// (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}
