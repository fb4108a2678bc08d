from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_index, name="project-list"),
    path("<str:code>/", views.project_detail, name="project-detail"),
]
