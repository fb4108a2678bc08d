"""The API's endpoints: thin views over the same selectors and services as the pages. Rows follow
the user's projects (another project's record is a 404, as on the pages); the model permissions
follow the user's role (a donor reads the published figures, never the registry)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from beneficiaries.duplicates import duplicates_of_registration
from beneficiaries.forms import BeneficiaryForm
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_get, beneficiary_table
from beneficiaries.services import beneficiary_create, log_export, log_view
from core.errors import ConflictError
from core.security import client_ip
from projects.selectors import member_project_list
from reports.selectors import current_release, published_project
from trainings import selectors as training_selectors
from trainings import services as training_services
from trainings.models import Enrollment
from workshops.selectors import workshop_list

from . import serializers

REGISTRY = ("beneficiaries.view_beneficiary",)


class ProjectList(generics.ListAPIView):
    """Projects the user works on or funds."""

    serializer_class = serializers.ProjectSerializer
    required_permissions = {}
    ordering = "code"

    def get_queryset(self):
        return member_project_list(user=self.request.user)


class ProjectDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ProjectSerializer
    required_permissions = {}
    lookup_field = "code"

    def get_queryset(self):
        return member_project_list(user=self.request.user)


class ReleaseDetail(APIView):
    """The project's current published release of figures: what its donors and the public read,
    protected as published. 404 before the first release."""

    required_permissions = {}

    @extend_schema(responses=serializers.ReleaseSerializer)
    def get(self, request, code: str):
        project = published_project(user=request.user, code=code)
        release = current_release(project)
        if release is None:
            raise NotFound(_("No results have been published for this project yet."))
        data = {
            "project": project.code,
            "number": release.number,
            "published_at": release.published_at,
            "as_of": release.figures["as_of"],
            "tables": release.figures["tables"],
        }
        return Response(serializers.ReleaseSerializer(data).data)


class TrainingList(generics.ListAPIView):
    serializer_class = serializers.TrainingSerializer
    required_permissions = {"GET": ("trainings.view_training",)}
    ordering = "-id"

    def get_queryset(self):
        trainings = training_selectors.training_list(user=self.request.user).order_by()
        project = self.request.query_params.get("project")
        return trainings.filter(project__code=project) if project else trainings


class TrainingDetail(generics.RetrieveAPIView):
    serializer_class = serializers.TrainingSerializer
    required_permissions = {"GET": ("trainings.view_training",)}

    def get_object(self):
        return training_selectors.training_get(user=self.request.user, pk=self.kwargs["pk"])


class TrainingObjectMixin:
    """The training of the URL, scoped to the user's projects (404 otherwise)."""

    @property
    def training(self):
        if not hasattr(self, "_training"):
            self._training = training_selectors.training_get(user=self.request.user, pk=self.kwargs["training_pk"])
        return self._training


class SessionList(TrainingObjectMixin, generics.ListAPIView):
    serializer_class = serializers.SessionSerializer
    required_permissions = {"GET": ("trainings.view_training",)}
    ordering = "id"

    def get_queryset(self):
        return training_selectors.session_list(training=self.training).order_by()


class EnrollmentList(TrainingObjectMixin, generics.ListCreateAPIView):
    """A training's enrollments (people named: the registry's permission); POST enrolls people by
    reference, through the same service as the page (places counted under a lock, the waitlist)."""

    serializer_class = serializers.EnrollmentSerializer
    required_permissions = {
        "GET": ("trainings.view_enrollment", *REGISTRY),
        "POST": ("trainings.add_enrollment", *REGISTRY),
    }
    ordering = "id"

    def get_queryset(self):
        return Enrollment.objects.filter(training=self.training).select_related("beneficiary")

    @extend_schema(request=serializers.EnrollRequestSerializer, responses=serializers.EnrollmentSerializer(many=True))
    def post(self, request, *args, **kwargs):
        asked = serializers.EnrollRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        references = list(dict.fromkeys(asked.validated_data["beneficiaries"]))
        people = list(Beneficiary.objects.filter(project=self.training.project, reference__in=references))
        unknown = sorted(set(references) - {person.reference for person in people})
        if unknown:
            raise ApiValidationError({"beneficiaries": [_("Unknown in this project: %s.") % ", ".join(unknown)]})
        try:
            enrollments = training_services.enroll(training=self.training, beneficiaries=people, by=request.user)
        except ValidationError as error:
            return _refused(error)
        return Response(serializers.EnrollmentSerializer(enrollments, many=True).data, status=status.HTTP_201_CREATED)


class AttendanceDetail(TrainingObjectMixin, APIView):
    """One session's attendance: GET the marks, PUT them (all at once, as the attendance grid)."""

    required_permissions = {"GET": ("trainings.view_training",), "PUT": ("trainings.add_attendance",)}

    def session(self):
        return training_selectors.session_get(training=self.training, pk=self.kwargs["pk"])

    @extend_schema(responses=serializers.AttendanceSerializer)
    def get(self, request, training_pk: int, pk: int):
        session = self.session()
        marks = [
            {"enrollment": person.pk, "status": mark}
            for person, mark in training_selectors.attendance_sheet(session=session)
            if mark
        ]
        return Response({"session": session.pk, "marks": marks})

    @extend_schema(request=serializers.AttendanceSerializer, responses=serializers.AttendanceSerializer)
    def put(self, request, training_pk: int, pk: int):
        session = self.session()
        given = serializers.AttendanceSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        marks = {mark["enrollment"]: mark["status"] for mark in given.validated_data["marks"]}
        try:
            training_services.record_attendance(session=session, marks=marks, by=request.user)
        except ValidationError as error:
            return _refused(error)
        return self.get(request, training_pk, pk)


class BeneficiaryList(generics.ListCreateAPIView):
    """The registry of the user's projects, a page at a time by cursor (no person skipped or seen
    twice while people are added); each page read is logged as an export. POST registers a person
    through the registration form's rules and the same duplicate check: likely duplicates in the
    user's projects are a 409 naming them, until ``distinct_from`` lists every one."""

    serializer_class = serializers.BeneficiaryListSerializer
    required_permissions = {"GET": REGISTRY, "POST": ("beneficiaries.add_beneficiary",)}
    ordering = "-id"
    FILTERS = ("project", "page_size")  # the parameters the access log names (never values)

    def get_queryset(self):
        fields = [name for name in serializers.BeneficiaryListSerializer.Meta.fields if name not in ("project", "city")]
        people = (
            beneficiary_table(user=self.request.user)
            .select_related("project")
            .only(*fields, "project__code", "city__name")
        )
        project = self.request.query_params.get("project")
        return people.filter(project__code=project) if project else people

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        references = [row["reference"] for row in response.data["results"]]
        if references:
            log_export(
                user=request.user,
                queryset=Beneficiary.objects.filter(reference__in=references),
                ip=client_ip(request),
                filter_names=[name for name in self.FILTERS if name in request.query_params],
                file_format="api",
                for_partners=False,
            )
        return response

    @extend_schema(request=serializers.RegistrationSerializer, responses={201: serializers.BeneficiarySerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        given = serializers.RegistrationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        confirmed = set(data.pop("distinct_from", []))
        project = get_object_or_404(member_project_list(user=request.user), code=data.pop("project"))
        form = BeneficiaryForm(data={**_form_data(data), "project": project.pk}, user=request.user)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        cleaned = form.cleaned_data
        shown, elsewhere = duplicates_of_registration(cleaned, user=request.user)
        if shown and not {candidate.beneficiary.reference for candidate in shown} <= confirmed:
            return Response(
                {
                    "detail": _(
                        "This person may already be registered. Send again with distinct_from listing "
                        "the references you checked are other people."
                    ),
                    "likely_duplicates": [
                        {"reference": candidate.beneficiary.reference, "score": candidate.score} for candidate in shown
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        person = beneficiary_create(
            project=project,
            data=cleaned,
            by=request.user,
            distinct_from=[candidate.beneficiary for candidate in shown],
            cross_project=elsewhere,
        )
        return Response(serializers.BeneficiarySerializer(person).data, status=status.HTTP_201_CREATED)


class BeneficiaryDetail(generics.RetrieveAPIView):
    serializer_class = serializers.BeneficiarySerializer
    required_permissions = {"GET": REGISTRY}

    def get_object(self):
        person = beneficiary_get(user=self.request.user, reference=self.kwargs["reference"])
        log_view(user=self.request.user, beneficiary=person, detail="api")
        return person


class WorkshopList(generics.ListAPIView):
    serializer_class = serializers.WorkshopSerializer
    required_permissions = {"GET": ("workshops.view_workshop",)}
    ordering = "-id"

    def get_queryset(self):
        return workshop_list(user=self.request.user).order_by()


def _form_data(data: dict) -> dict:
    """Values read from JSON as the form reads posted ones: true as a ticked box, false or none as
    no box, dates as ISO text."""
    posted = {}
    for key, value in data.items():
        if value is True:
            posted[key] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, list):
            posted[key] = [str(item) for item in value]
        elif hasattr(value, "isoformat"):
            posted[key] = value.isoformat()
        else:
            posted[key] = str(value)
    return posted


def _refused(error: ValidationError) -> Response:
    """A service's refusal (a rule of the training, a conflict) as a 400 or 409 with its message."""
    code = status.HTTP_409_CONFLICT if isinstance(error, ConflictError) else status.HTTP_400_BAD_REQUEST
    return Response({"detail": " ".join(error.messages)}, status=code)
