from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("import/", views.institution_import, name="import"),
    path("new/", views.institution_create, name="create"),
    path("<str:code>/", views.institution_detail, name="detail"),
    path("<str:code>/edit/", views.institution_edit, name="edit"),
    path("<str:code>/owner/", views.owner_change, name="owner_change"),
    path("<str:code>/status/", views.status_change, name="status_change"),
]
