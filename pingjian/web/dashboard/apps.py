from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "pingjian.web.dashboard"
    label = "dashboard"
    verbose_name = "期限與通知 deadlines and notifications"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
