from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pingjian.web.core"
    label = "core"
    verbose_name = "核心 core"
