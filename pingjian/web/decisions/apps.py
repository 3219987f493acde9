from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "pingjian.web.decisions"
    label = "decisions"
    verbose_name = "評定與申復 decisions and appeals"

    def ready(self) -> None:
        from . import permissions  # noqa: F401
