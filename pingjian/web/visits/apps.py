from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "pingjian.web.visits"
    label = "visits"
    verbose_name = "實地訪查 site visits"

    def ready(self) -> None:
        from . import permissions  # noqa: F401
