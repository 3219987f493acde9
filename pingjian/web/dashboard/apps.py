from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The roof: the landing and dashboard pages, navigation, the role panels and the demo seeding.
    It may import every app; no app imports it."""

    name = "pingjian.web.dashboard"
    label = "dashboard"
    verbose_name = "工作台 dashboard"
