from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("visits/<int:visit_pk>/", views.scoring_form, name="form"),
    path("visits/<int:visit_pk>/notes/", views.save_note, name="save_note"),
]
