from django.apps import AppConfig


class ClosuresConfig(AppConfig):
    name = "pingjian.web.closures"
    label = "closures"
    verbose_name = "停班停課 typhoon closures"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
