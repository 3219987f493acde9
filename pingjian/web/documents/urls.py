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
]
