from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("conflicts/declare/", views.declare_conflict, name="declare_conflict"),
    path("confidentiality/accept/", views.accept_confidentiality, name="accept_confidentiality"),
    path("surveyors/", views.surveyor_list, name="surveyor_list"),
    path("surveyors/<int:pk>/", views.surveyor_detail, name="surveyor_detail"),
    path("surveyors/<int:pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/end/", views.end_assignment, name="end_assignment"),
    path("surveyors/<int:pk>/profile/", views.set_profile, name="set_profile"),
    path("surveyors/<int:pk>/consensus/", views.record_consensus, name="record_consensus"),
    path("cycles/<int:cycle_pk>/schedule/", views.schedule, name="schedule"),
    path("cycles/<int:cycle_pk>/schedule/plan/", views.plan, name="plan"),
    path("<int:pk>/pin/", views.pin, name="pin"),
]
