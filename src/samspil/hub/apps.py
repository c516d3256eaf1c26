from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "samspil.hub"
    label = "hub"
    verbose_name = _("Innovation hub")
