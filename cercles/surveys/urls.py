from django.urls import path

from . import views

app_name = "surveys"

base = "communities/<slug:slug>/surveys/"
one = f"{base}<int:survey_id>/"

urlpatterns = [
    path(base, views.survey_list, name="list"),
    path(f"{base}new/", views.survey_create, name="create"),
    path(f"{base}trend/", views.trend, name="trend"),
    path(f"{base}needs/<int:need_id>/", views.need_decide, name="need"),
    path(one, views.survey_detail, name="detail"),
    path(f"{one}edit/", views.survey_edit, name="edit"),
    path(f"{one}answer/", views.survey_answer, name="answer"),
    path(f"{one}involvement/", views.survey_involvement, name="involvement"),
    path(f"{one}open/", views.survey_open, name="open"),
    path(f"{one}close/", views.survey_close, name="close"),
    path(f"{one}delete/", views.survey_delete, name="delete"),
    path(f"{one}skip/", views.survey_skip, name="skip"),
    path(f"{one}results/", views.survey_results_view, name="results"),
    path(f"{one}results/<int:question_id>/", views.question_answers, name="question_answers"),
    path(f"{one}export.csv", views.survey_export, name="export"),
    path("surveys/template/", views.template_edit, name="template"),
]
