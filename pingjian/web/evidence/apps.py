from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "pingjian.web.evidence"
    label = "evidence"
    verbose_name = "佐證資料 evidence"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
