from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pingjian.web.accounts"
    label = "accounts"
    verbose_name = "帳號 accounts"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
