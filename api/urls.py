from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


def endpoint(view_class, **initkwargs):
    """An API view: outside the site's sign-in redirect, since the API says who it serves itself
    (a token, or the browser's session) and answers 401 or 403, never a sign-in page."""
    return login_not_required(view_class.as_view(**initkwargs))


urlpatterns = [
    path("schema/", endpoint(SpectacularAPIView), name="schema"),
    # The split view loads its start-up script from a file: no inline script for the CSP to refuse.
    path("docs/", endpoint(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("projects/", endpoint(views.ProjectList), name="project-list"),
    path("projects/<str:code>/", endpoint(views.ProjectDetail), name="project-detail"),
    path("projects/<str:code>/release/", endpoint(views.ReleaseDetail), name="release"),
    path("trainings/", endpoint(views.TrainingList), name="training-list"),
    path("trainings/<int:pk>/", endpoint(views.TrainingDetail), name="training-detail"),
    path("trainings/<int:training_pk>/sessions/", endpoint(views.SessionList), name="session-list"),
    path(
        "trainings/<int:training_pk>/sessions/<int:pk>/attendance/",
        endpoint(views.AttendanceDetail),
        name="attendance",
    ),
    path("trainings/<int:training_pk>/enrollments/", endpoint(views.EnrollmentList), name="enrollment-list"),
    path("beneficiaries/", endpoint(views.BeneficiaryList), name="beneficiary-list"),
    path("beneficiaries/<str:reference>/", endpoint(views.BeneficiaryDetail), name="beneficiary-detail"),
    path("workshops/", endpoint(views.WorkshopList), name="workshop-list"),
]
