from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("visits/<int:visit_pk>/", views.scoring_form, name="form"),
    path("visits/<int:visit_pk>/notes/", views.save_note, name="save_note"),
    path("visits/<int:visit_pk>/submit/", views.submit_assessment, name="submit"),
    path("visits/<int:visit_pk>/opinions/", views.opinion_page, name="opinions"),
    path("<int:assessment_pk>/record-score/", views.record_score, name="record_score"),
]
