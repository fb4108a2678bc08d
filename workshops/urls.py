from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.WorkshopListView.as_view(), name="workshop-list"),
    path("new/", views.WorkshopCreateView.as_view(), name="workshop-create"),
    path("<int:pk>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("<int:pk>/edit/", views.WorkshopEditView.as_view(), name="workshop-edit"),
    path("<int:pk>/participants/", views.ParticipantsAddView.as_view(), name="participants-add"),
    path("<int:pk>/attendance/", views.WorkshopAttendanceView.as_view(), name="workshop-attendance"),
    path("<int:pk>/assessment/", views.AssessmentView.as_view(), name="workshop-assessment"),
    path("<int:pk>/sign-in-sheet/", views.SignInSheetView.as_view(), name="sign-in-sheet"),
    path("organizations/new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
]
