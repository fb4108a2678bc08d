from django.urls import path

from . import update_views, views

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
    path("<str:code>/partners/<int:organization_pk>/logo.png", views.partner_logo, name="partner-logo"),
    # Updates: written by the project's staff, approved by its M&E officer, then public.
    path("<str:code>/updates/", update_views.update_list, name="update-list"),
    path("<str:code>/updates/new/", update_views.update_create, name="update-create"),
    path("<str:code>/updates/<int:pk>/", update_views.update_detail, name="update-detail"),
    path("<str:code>/updates/<int:pk>/manage/", update_views.update_manage, name="update-manage"),
    path("<str:code>/updates/<int:pk>/edit/", update_views.update_edit, name="update-edit"),
    path("<str:code>/updates/<int:pk>/approve/", update_views.update_approve, name="update-approve"),
    path("<str:code>/updates/<int:pk>/photos/", update_views.photo_add, name="photo-add"),
    path("<str:code>/updates/<int:pk>/photos/<int:photo_pk>.jpg", update_views.update_photo, name="update-photo"),
    path("<str:code>/updates/<int:pk>/photos/<int:photo_pk>/staff.jpg", update_views.staff_photo, name="staff-photo"),
    path("<str:code>/updates/<int:pk>/photos/<int:photo_pk>/delete/", update_views.photo_delete, name="photo-delete"),
]
