from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.entry_detail, name="detail"),
]
