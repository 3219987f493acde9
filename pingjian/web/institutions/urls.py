from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("import/", views.institution_import, name="import"),
    path("<str:code>/", views.institution_detail, name="detail"),
]
