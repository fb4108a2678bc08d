from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("", views.TrainingListView.as_view(), name="training-list"),
    path("new/", views.TrainingCreateView.as_view(), name="training-create"),
    path("<int:pk>/", views.TrainingDetailView.as_view(), name="training-detail"),
    path("<int:pk>/edit/", views.TrainingEditView.as_view(), name="training-edit"),
    path("<int:pk>/enroll/", views.EnrollView.as_view(), name="training-enroll"),
    path("<int:pk>/complete/", views.CompleteView.as_view(), name="training-complete"),
    path("<int:training_pk>/sessions/new/", views.SessionCreateView.as_view(), name="session-create"),
    path("<int:training_pk>/sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="session-attendance"),
    path(
        "<int:training_pk>/sessions/<int:pk>/attendance/xlsform.xlsx",
        views.AttendanceXLSFormView.as_view(),
        name="session-xlsform",
    ),
    path("<int:training_pk>/enrollments/<int:pk>/drop/", views.DropView.as_view(), name="enrollment-drop"),
    path(
        "<int:training_pk>/enrollments/<int:pk>/certificate/",
        views.CertificateView.as_view(),
        name="enrollment-certificate",
    ),
    path(
        "<int:training_pk>/enrollments/<int:pk>/follow-up/",
        views.FollowUpCreateView.as_view(),
        name="follow-up-create",
    ),
    path("business-support/<str:reference>/", views.BusinessSupportView.as_view(), name="business-support"),
]
