from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("export.csv", views.application_export, name="export"),
    path("export.xlsx", views.application_export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/transition/<str:name>/", views.application_transition, name="transition"),
    path("<int:pk>/fee/", views.application_fee, name="fee"),
    path("<int:pk>/notice-receipt/", views.application_notice_receipt, name="notice_receipt"),
    path("<int:pk>/waive-appeal/", views.application_waive_appeal, name="waive_appeal"),
    path("<int:pk>/renewal/", views.application_open_renewal, name="open_renewal"),
    path("<int:pk>/unlock/", views.application_unlock, name="unlock"),
    path("<int:pk>/relock/<str:part>/", views.application_relock, name="relock"),
    path("cycles/<int:cycle_pk>/apply/", views.cycle_apply, name="apply"),
    path("cycles/<int:cycle_pk>/confirm-targets/", views.confirm_targets, name="confirm_targets"),
]
