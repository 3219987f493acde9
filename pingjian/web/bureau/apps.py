from django.apps import AppConfig


class BureauConfig(AppConfig):
    name = "pingjian.web.bureau"
    label = "bureau"
    verbose_name = "衛生局作業 health bureau work"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
