from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="home"),
    # the notifications lived under /dashboard/ before they were an app of their own
    path("dashboard/notifications/", RedirectView.as_view(pattern_name="notifications:list")),
]
