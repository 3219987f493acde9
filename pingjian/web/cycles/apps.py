from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "pingjian.web.cycles"
    label = "cycles"
    verbose_name = "評鑑梯次 cycles"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
