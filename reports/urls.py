from django.urls import path

from . import views

app_name = "reports"

# Mounted under /projects/: the public side of every project, and the donor's.
urlpatterns = [
    path("", views.project_index, name="project-list"),
    path("<str:code>/", views.project_detail, name="project-detail"),
    path("<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:code>/dashboard/aggregates.<str:file_format>", views.aggregates, name="aggregates"),
    path("<str:code>/report/", views.print_report, name="print-report"),
    path("<str:code>/iati.xml", views.iati_activity, name="iati"),
    path("<str:code>/results.<str:file_format>", views.release_figures, name="release-figures"),
    path("<str:code>/releases/", views.releases, name="releases"),
    path("<str:code>/releases/publish/", views.release_publish, name="release-publish"),
    path("<str:code>/releases/status/", views.release_status, name="release-status"),
    path("<str:code>/releases/<int:number>/withdraw/", views.release_withdraw, name="release-withdraw"),
]
