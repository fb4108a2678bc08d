"""What the API shows of each record: the fields a member of the project reads on its pages."""

from rest_framework import serializers

from beneficiaries.models import Beneficiary
from core.models import localized
from projects.models import Project
from trainings.models import Attendance, Enrollment, Session, Training
from workshops.models import Workshop


class ProjectSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "status",
            "planned_start_date",
            "planned_end_date",
            "actual_start_date",
            "actual_end_date",
            "budget",
            "currency",
            "is_public",
        ]

    def get_title(self, project) -> str:
        return localized(project, "title")


class TrainingSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    city = serializers.SlugRelatedField(slug_field="name", read_only=True)
    provider = serializers.StringRelatedField()

    class Meta:
        model = Training
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "trade",
            "provider",
            "city",
            "start_date",
            "end_date",
            "capacity",
            "hours",
            "pass_threshold",
        ]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "training", "date", "start_time", "duration_minutes", "topic"]


class EnrollmentSerializer(serializers.ModelSerializer):
    beneficiary = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    first_name = serializers.CharField(source="beneficiary.first_name", read_only=True)
    last_name = serializers.CharField(source="beneficiary.last_name", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "training",
            "beneficiary",
            "first_name",
            "last_name",
            "status",
            "enrolled_on",
            "completed_on",
            "attendance_rate",
            "certificate_number",
        ]


class EnrollRequestSerializer(serializers.Serializer):
    beneficiaries = serializers.ListField(
        child=serializers.CharField(max_length=20), min_length=1, max_length=500, help_text="References."
    )


class AttendanceMarkSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class AttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField(read_only=True)
    marks = AttendanceMarkSerializer(many=True)


class BeneficiarySerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    city = serializers.SlugRelatedField(slug_field="name", read_only=True)
    nationality = serializers.CharField(source="nationality.code", read_only=True)
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = Beneficiary
        fields = [
            "reference",
            "project",
            "first_name",
            "last_name",
            "other_first_name",
            "other_last_name",
            "sex",
            "date_of_birth",
            "age_group",
            "nationality",
            "city",
            "phone",
            "status",
            "consent_processing",
            "consent_sharing",
            "consent_photos",
            "created_at",
        ]


class RegistrationSerializer(serializers.Serializer):
    """What a registration sends, for the documentation: the registration form checks it (its rules
    and messages are the page's, beneficiaries.forms.BeneficiaryForm)."""

    project = serializers.CharField(help_text="The project's code, e.g. FM.0390.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    other_first_name = serializers.CharField(required=False, help_text="In the other script (Arabic or Latin).")
    other_last_name = serializers.CharField(required=False)
    sex = serializers.ChoiceField(choices=Beneficiary.Sex.choices)
    date_of_birth = serializers.DateField()
    nationality = serializers.CharField(help_text="ISO 3166 code, e.g. SN.")
    city = serializers.IntegerField(help_text="The city's id.")
    phone = serializers.CharField(required=False)
    residence_card_number = serializers.CharField(required=False)
    consent_processing = serializers.BooleanField(help_text="Must be true: nobody is registered without it.")
    consent_processing_date = serializers.DateField()
    consent_processing_method = serializers.ChoiceField(choices=Beneficiary.ConsentMethod.choices)
    consent_sharing = serializers.BooleanField(required=False)
    distinct_from = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="References of likely duplicates (from a 409) checked to be other people.",
    )


class WorkshopSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    city = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Workshop
        fields = ["id", "project", "kind", "level", "title", "start_date", "end_date", "city"]


class ReleaseSerializer(serializers.Serializer):
    project = serializers.CharField()
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    as_of = serializers.CharField(help_text="When the figures were counted (ISO 8601).")
    tables = serializers.DictField(
        help_text="Each table of the release as published: row and column codes and the grid of "
        "cells, small counts shown as “< 5”, hidden cells as “…” or “—”."
    )
