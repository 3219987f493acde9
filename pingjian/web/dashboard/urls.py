from django.urls import path
from django.views.generic import RedirectView

from . import office_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="home"),
    # the notifications lived under /dashboard/ before they were an app of their own
    path("dashboard/notifications/", RedirectView.as_view(pattern_name="notifications:list")),
    # the program office's charts and the what-if of a finished cycle (issue 15)
    path("dashboard/charts/", office_views.index, name="charts"),
    path("dashboard/charts/states/", office_views.states, name="chart_states"),
    path("dashboard/charts/deadlines/", office_views.deadlines, name="chart_deadlines"),
    path("dashboard/charts/pass-rates/", office_views.pass_rates, name="chart_pass_rates"),
    path("dashboard/charts/points-lost/", office_views.heatmap, name="chart_points_lost"),
    path("dashboard/what-if/", office_views.whatif, name="whatif"),
]
