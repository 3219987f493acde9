from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("conflicts/declare/", views.declare_conflict, name="declare_conflict"),
    path("confidentiality/accept/", views.accept_confidentiality, name="accept_confidentiality"),
    path("unavailable/", views.mark_unavailable, name="mark_unavailable"),
    path("unavailable/<int:pk>/remove/", views.remove_unavailable, name="remove_unavailable"),
    path("surveyors/", views.surveyor_list, name="surveyor_list"),
    path("surveyors/<int:pk>/", views.surveyor_detail, name="surveyor_detail"),
    path("surveyors/<int:pk>/assign/", views.assign, name="assign"),
    path("surveyors/<int:pk>/unavailable/", views.record_unavailable, name="record_unavailable"),
    path("assignments/<int:pk>/end/", views.end_assignment, name="end_assignment"),
    path("surveyors/<int:pk>/profile/", views.set_profile, name="set_profile"),
    path("surveyors/<int:pk>/consensus/", views.record_consensus, name="record_consensus"),
    path("cycles/<int:cycle_pk>/schedule/", views.schedule, name="schedule"),
    path("cycles/<int:cycle_pk>/schedule/plan/", views.plan, name="plan"),
    path("<int:pk>/pin/", views.pin, name="pin"),
    path("<int:pk>/team/", views.change_member, name="change_member"),
    path("<int:pk>/change-date/", views.change_date, name="change_date"),
    path("<int:pk>/bureau/", views.bureau_attendance, name="bureau_attendance"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("conflicts/waive/", views.waive, name="waive"),
    path("conflicts/history/", views.add_history, name="add_history"),
    path("institution/conflicts/", views.institution_conflicts, name="institution_conflicts"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
