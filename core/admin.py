from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.forms import AdminSignInForm

admin.site.site_header = _("Katalog dobrych praktyk – redakcja")
admin.site.site_title = _("Katalog dobrych praktyk")
admin.site.index_title = _("Redakcja katalogu")
admin.site.login_form = AdminSignInForm

# Admin forms accept addresses typed without a scheme as https:// (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}
