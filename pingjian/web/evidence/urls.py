from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("<int:application_pk>/upload/", views.upload, name="upload"),
    path("<int:application_pk>/upload-many/", views.upload_many, name="upload_many"),
    path("<int:application_pk>/comment/", views.comment, name="comment"),
    path("<int:application_pk>/files/<int:file_pk>/", views.download, name="download"),
]
