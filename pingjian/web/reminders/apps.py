from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "pingjian.web.reminders"
    label = "reminders"
    verbose_name = "期限提醒 deadline reminders"
