from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path(
        "applications/<int:pk>/supplement-letter.pdf", views.supplement_letter_pdf, name="supplement_letter"
    ),
    path("applications/<int:pk>/result-letter.pdf", views.result_letter_pdf, name="result_letter"),
    path("applications/<int:pk>/summary.pdf", views.summary_pdf, name="summary"),
    path("applications/<int:pk>/opinions.pdf", views.opinions_pdf, name="opinions"),
    path("certificates/<int:pk>/certificate-<str:language>.pdf", views.certificate_pdf, name="certificate"),
    path("certificates/<int:pk>/badge.svg", views.certificate_badge, name="certificate_badge"),
    path("registry-actions/<int:pk>/letter.pdf", views.status_letter_pdf, name="status_letter"),
]
