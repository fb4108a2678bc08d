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
    enrollment = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class AttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField(read_only=True)
    marks = AttendanceMarkSerializer(many=True)


class BeneficiaryListSerializer(serializers.ModelSerializer):
    """A person in a list: what the registry's list page shows (a bulk read of phones and birth
    dates is an export, which only M&E officers make)."""

    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    city = serializers.SlugRelatedField(slug_field="name", read_only=True)
    nationality = serializers.CharField(source="nationality.code", read_only=True)

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
            "age_group",
            "nationality",
            "city",
            "status",
            "consent_sharing",
            "created_at",
        ]


class BeneficiarySerializer(BeneficiaryListSerializer):
    """One person: what the person page shows of their record (its reading is logged)."""

    phone = serializers.CharField(read_only=True)

    class Meta(BeneficiaryListSerializer.Meta):
        fields = [
            *BeneficiaryListSerializer.Meta.fields,
            "date_of_birth",
            "phone",
            "consent_processing",
            "consent_photos",
        ]


class RegistrationSerializer(serializers.Serializer):
    """A registration's values, read as JSON types (a consent is true or false, a date a date);
    the registration form then applies its rules and messages (beneficiaries.forms.BeneficiaryForm)."""

    project = serializers.CharField(max_length=20, help_text="The project's code, e.g. FM.0390.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    other_first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    other_last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Beneficiary.Sex.choices)
    date_of_birth = serializers.DateField()
    nationality = serializers.CharField(max_length=2, help_text="ISO 3166 code, e.g. SN.")
    city = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The city's id.")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=10), required=False, max_length=20)
    education_level = serializers.CharField(max_length=20, required=False, allow_blank=True)
    prior_occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    regularization_year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    residence_card_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    residence_card_expiry = serializers.DateField(required=False)
    has_disability = serializers.BooleanField(required=False)
    consent_processing = serializers.BooleanField(help_text="Must be true: nobody is registered without it.")
    consent_processing_date = serializers.DateField()
    consent_processing_method = serializers.ChoiceField(choices=Beneficiary.ConsentMethod.choices)
    consent_sharing = serializers.BooleanField(required=False)
    consent_sharing_date = serializers.DateField(required=False)
    consent_sharing_method = serializers.ChoiceField(choices=Beneficiary.ConsentMethod.choices, required=False)
    consent_photos = serializers.BooleanField(required=False)
    consent_photos_date = serializers.DateField(required=False)
    consent_photos_method = serializers.ChoiceField(choices=Beneficiary.ConsentMethod.choices, required=False)
    distinct_from = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=50,
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
