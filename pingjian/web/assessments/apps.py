from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "pingjian.web.assessments"
    label = "assessments"
    verbose_name = "實地評分 on-site scoring"

    def ready(self) -> None:
        from . import permissions  # noqa: F401
