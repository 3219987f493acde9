from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "pingjian.web.documents"
    label = "documents"
    verbose_name = "文件 PDF documents"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
