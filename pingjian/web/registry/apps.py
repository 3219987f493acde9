from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "pingjian.web.registry"
    label = "registry"
    verbose_name = "公開查詢 public registry"

    def ready(self) -> None:
        from . import permissions  # noqa: F401
