from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pingjian.web.notifications"
    label = "notifications"
    verbose_name = "通知 notifications"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
