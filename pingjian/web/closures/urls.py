from django.urls import path

from . import views

app_name = "closures"
urlpatterns = [
    path("", views.closure_list, name="list"),
    path("<int:pk>/withdraw/", views.closure_withdraw, name="withdraw"),
]
