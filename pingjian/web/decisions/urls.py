from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_page, name="meeting"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("appeals/<int:pk>/", views.appeal_page, name="appeal"),
    path("applications/<int:pk>/appeal/", views.file_appeal, name="file_appeal"),
    path("applications/<int:pk>/finalize/", views.finalize, name="finalize"),
]
