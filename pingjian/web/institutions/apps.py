from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "pingjian.web.institutions"
    label = "institutions"
    verbose_name = "機構 institutions"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
