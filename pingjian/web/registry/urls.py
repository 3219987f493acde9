from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/report-abolition/", views.report_abolition, name="report_abolition"),
    path("<int:pk>/follow-ups/", views.plan_follow_up, name="plan_follow_up"),
    path("follow-ups/<int:pk>/outcome/", views.record_follow_up, name="record_follow_up"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("badges/<slug:program_id>.svg", views.badge, name="badge"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("changes.json", views.changes_json, name="changes"),
]
