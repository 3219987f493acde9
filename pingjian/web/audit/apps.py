from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pingjian.web.audit"
    label = "audit"
    verbose_name = "稽核軌跡 audit"

    def ready(self) -> None:
        from . import permissions  # noqa: F401
