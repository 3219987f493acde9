from django.apps import AppConfig


class DentalreviewConfig(AppConfig):
    name = "pingjian.web.dentalreview"
    label = "dentalreview"
    verbose_name = "牙醫輔導積分審查 NHI dental review"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the rules predicates
