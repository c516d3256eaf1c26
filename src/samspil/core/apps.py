from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samspil.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from . import lookups
        from .models import Organisation
        from .permissions import forget_trees
        from .sqlite import register_unicode_like

        connection_created.connect(register_unicode_like, dispatch_uid="unicode_like")
        lookups.register()

        post_save.connect(forget_trees, sender=Organisation, dispatch_uid="forget_trees_saved")
        post_delete.connect(forget_trees, sender=Organisation, dispatch_uid="forget_trees_deleted")
