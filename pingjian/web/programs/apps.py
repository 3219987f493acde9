from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "pingjian.web.programs"
    label = "programs"
    verbose_name = "評鑑計畫 programs"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
