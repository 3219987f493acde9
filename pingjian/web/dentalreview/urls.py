from django.urls import path

from . import views

app_name = "dentalreview"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("levels/", views.levels_chart, name="levels"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="progress"),
    path("runs/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("runs/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("runs/<int:pk>/level5/", views.level5, name="level5"),
    path("runs/<int:pk>/whatif/", views.whatif, name="whatif"),
    path("runs/<int:pk>/indicators/<slug:indicator>/", views.indicator_chart, name="indicator"),
    path("runs/<int:pk>/clinics/<str:clinic_id>/", views.clinic, name="clinic"),
    path("runs/<int:pk>/clinics/<str:clinic_id>/notice.pdf", views.notice_pdf, name="notice"),
    path("runs/<int:pk>/clinics/<str:clinic_id>/agreement.pdf", views.agreement_pdf, name="agreement"),
]
