from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("<str:program_id>/<int:number>/", views.version_detail, name="detail"),
    path("<str:program_id>/<int:number>/copy/", views.version_copy, name="copy"),
    path("<str:program_id>/<int:number>/edit/", views.draft_edit, name="edit"),
    path("<str:program_id>/<int:number>/diff/", views.draft_diff_view, name="diff"),
    path("<str:program_id>/<int:number>/discard/", views.draft_discard, name="discard"),
]
