from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "pingjian.web.applications"
    label = "applications"
    verbose_name = "申請案 applications"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
