from django.urls import path

from . import views

app_name = "bureau"
urlpatterns = [
    path("", views.county_list, name="list"),
    path("<int:application_pk>/preliminary/", views.preliminary, name="preliminary"),
    path("<int:application_pk>/survey-reply/send/", views.survey_reply_send, name="survey_reply_send"),
    path("<int:application_pk>/survey-reply/return/", views.survey_reply_return, name="survey_reply_return"),
]
