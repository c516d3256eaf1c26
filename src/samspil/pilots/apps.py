from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "samspil.pilots"
    label = "pilots"
    verbose_name = _("Pilots and programmes")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .kpi_services import measurement_saved
        from .models import Measurement

        post_save.connect(measurement_saved, sender=Measurement, dispatch_uid="kpi_latest")
