from django.urls import path

from . import views

app_name = "reports"

# Mounted under /projects/, before the projects app's own pages.
urlpatterns = [
    path("<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:code>/dashboard/aggregates.<str:file_format>", views.aggregates, name="aggregates"),
    path("<str:code>/report/", views.print_report, name="print-report"),
    path("<str:code>/iati.xml", views.iati_activity, name="iati"),
]
