"""Background jobs of the registry (Django's tasks API): an import's check and commit, large exports.

A page asks for a job through the functions here, which record it (ImportJob, ExportJob) and
enqueue its task; the task writes its own counters as it goes, and the page reads them. A task may
run twice (a worker stopped, the job started again): each one claims its work with a conditional
update, so that the second run finds nothing left to do and writes nothing twice.
"""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.spreadsheets import csv_file, xlsx_of
from projects.selectors import member_project_list

from . import imports
from .exports import registry_rows
from .filters import EXPORT_REFUSED, BeneficiaryFilter
from .models import ExportJob, ImportJob
from .selectors import beneficiary_list, export_rows

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# How long the files of personal data that jobs keep (and an import's preview) stay on the server.
KEPT_FOR = timedelta(days=1)


# --- Import ----------------------------------------------------------------------------------------


def start_import(*, project, user, filename: str, content: bytes) -> ImportJob:
    """Keep an uploaded file in the private storage and start checking it."""
    purge()  # what abandoned jobs left, even where the purge command is not scheduled
    job = ImportJob(project=project, created_by=user, filename=filename[:200], language=translation.get_language())
    # A random name: the storage never holds a name a person chose.
    job.file.save(f"{secrets.token_urlsafe(16)}.upload", ContentFile(content), save=False)
    job.save()
    check_import.enqueue(str(job.pk))
    return job


class ImportExpired(Exception):
    """The import is no longer waiting for its commit (done, cancelled, purged)."""

    def __str__(self):
        return _("This import has expired or was already done: upload the file again.")


def request_commit(job: ImportJob, *, confirmed_duplicates: bool) -> None:
    """Start writing a checked import. Refused (ValidationError) while its possible duplicates are
    not confirmed; ImportExpired when it is no longer waiting for a commit."""
    if job.needs_confirmation and not confirmed_duplicates:
        raise ValidationError(_("Check the possible duplicates and confirm them before importing."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).exclude(file="")
    updated = claimed.update(
        status=Status.COMMITTING,
        confirmed_duplicates=confirmed_duplicates,
        rows_done=0,
        error="",
        updated_at=timezone.now(),
    )
    if not updated:
        raise ImportExpired
    commit_import.enqueue(str(job.pk))


def restart(job: ImportJob) -> None:
    """Start a stalled job's task again (its worker stopped): the task itself skips done work."""
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
    (commit_import if job.is_committing else check_import).enqueue(str(job.pk))


def cancel_import(job: ImportJob) -> None:
    """Forget an import that is not being written, and delete its file from the storage."""
    ImportJob.objects.filter(pk=job.pk).exclude(status__in=[Status.COMMITTING, Status.DONE]).update(
        status=Status.CANCELLED, updated_at=timezone.now()
    )
    job.refresh_from_db()
    if job.status == Status.CANCELLED:
        _forget_file(job)


def _forget_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _checked_again(job: ImportJob, status: str):
    """The job's file checked against the registry as it is now, its counters written as it goes;
    (preview, None) or (None, the reason it cannot be read)."""

    def progress(checked, total):
        ImportJob.objects.filter(pk=job.pk, status=status).update(
            rows_done=checked, rows_total=total, updated_at=timezone.now()
        )

    with job.file.open("rb") as file:
        content = file.read()
    try:
        return (
            imports.preview(
                project=job.project,
                filename=job.filename,
                content=content,
                # Likely duplicates are shown only in the importer's own projects, as on the page.
                visible_project_ids=set(member_project_list(user=job.created_by).values_list("pk", flat=True)),
                progress=progress,
            ),
            None,
        )
    except imports.ImportFileError as error:
        return None, str(error)


def _checked(job: ImportJob, *, from_status: str, result, error: str = "") -> None:
    """Record a check's outcome, if the job is still where the check found it (a cancel wins)."""
    if error:
        fields = {"status": Status.FAILED, "error": error, "preview": None}
    else:
        fields = {"status": Status.CHECKED, "preview": imports.PreviewSummary.of(result).to_json()}
    fields["updated_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk, status=from_status).update(**fields)
    job.refresh_from_db()
    # The file holds personal data: it stays only while its preview can be committed.
    if error or not result.can_commit or job.status != Status.CHECKED:
        _forget_file(job)


@task()
def check_import(job_id: str) -> None:
    """The preview of an uploaded file, as a job."""
    job = ImportJob.objects.select_related("project", "created_by").filter(pk=job_id).first()
    if job is None or job.status != Status.CHECKING or not job.file:
        return  # cancelled, or checked already by an earlier run
    with translation.override(job.language):
        result, error = _checked_again(job, Status.CHECKING)
        _checked(job, from_status=Status.CHECKING, result=result, error=error)


@task()
def commit_import(job_id: str) -> None:
    """Check the file again against the registry as it is now, then write every row or none."""
    job = ImportJob.objects.select_related("project", "created_by").filter(pk=job_id).first()
    if job is None or job.status != Status.COMMITTING or not job.file:
        return  # written already by an earlier run, or cancelled
    with translation.override(job.language):
        result, error = _checked_again(job, Status.COMMITTING)
        earlier = set(job.preview["flagged_rows"]) if job.preview else set()
        new_doubts = {row.number for row in result.flagged} - earlier if result else set()
        unconfirmed = result is not None and result.flagged and not job.confirmed_duplicates
        if error or not result.can_commit or new_doubts or unconfirmed:
            # The registry changed since the preview: the page shows the new one, to decide again.
            _checked(job, from_status=Status.COMMITTING, result=result, error=error)
            return
        try:
            _write(job, result)
        except Exception:
            logger.exception("Import job %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk, status=Status.COMMITTING).update(
                status=Status.FAILED,
                error=_("The import stopped on an unexpected error and wrote nothing. Upload the file again."),
                updated_at=timezone.now(),
            )
            raise
        finally:
            job.refresh_from_db()
            if job.status != Status.COMMITTING:
                _forget_file(job)


def _write(job: ImportJob, result) -> None:
    with transaction.atomic():
        # The claim: a second run of this task (or one that waited on this one's lock) finds the
        # job no longer committing, and writes nothing.
        if not ImportJob.objects.filter(pk=job.pk, status=Status.COMMITTING).update(status=Status.DONE):
            return
        created = imports.commit(project=job.project, result=result, by=job.created_by)
        ImportJob.objects.filter(pk=job.pk).update(
            preview=imports.PreviewSummary.of(result).to_json(),  # what was written, and what was left out
            rows_done=len(created),
            rows_total=len(created),
            import_batch=created[0].import_batch,
            updated_at=timezone.now(),
        )


def purge(older_than: timedelta = KEPT_FOR) -> int:
    """Delete the files (and the previews, which name people) of jobs untouched for this long: an
    import nobody committed or cancelled, an export downloaded or not. Returns the files deleted."""
    cutoff = timezone.now() - older_than
    removed = 0
    for job in ImportJob.objects.filter(updated_at__lt=cutoff).exclude(file="", preview=None):
        removed += bool(job.file)
        _forget_file(job)
        ImportJob.objects.filter(pk=job.pk, status__in=[Status.CHECKING, Status.CHECKED]).update(
            status=Status.CANCELLED
        )
        ImportJob.objects.filter(pk=job.pk).update(preview=None)
    for job in ExportJob.objects.filter(updated_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="", status=ExportJob.Status.FAILED, error=_expired())
        removed += 1
    return removed


def _expired() -> str:
    return _("This file was deleted from the server after a day: export the list again.")


# --- Export ----------------------------------------------------------------------------------------


def start_export(*, user, filters: QueryDict, file_format: str, for_partners: bool, filename: str) -> ExportJob:
    job = ExportJob.objects.create(
        created_by=user,
        language=translation.get_language(),
        filters=filters.urlencode(),
        file_format=file_format,
        for_partners=for_partners,
        filename=filename,
    )
    prepare_export.enqueue(str(job.pk))
    return job


class _AskedBy:
    """What the list's filters read of a request (its user), for the job that runs without one."""

    def __init__(self, user):
        self.user = user


@task()
def prepare_export(job_id: str) -> None:
    """Write an export's file into the private storage, with the filters and the scope of the person
    who asked, as they are when it runs (a member who left a project meanwhile exports nothing of it)."""
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not job.is_running:
        return
    with translation.override(job.language):
        filterset = BeneficiaryFilter(
            QueryDict(job.filters),
            queryset=beneficiary_list(user=job.created_by),
            request=_AskedBy(job.created_by),
        )
        if not filterset.is_valid():
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(EXPORT_REFUSED))
            return
        rows = export_rows(filterset.qs, for_partners=job.for_partners)
        total = rows.count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total, updated_at=timezone.now())

        def counted(lines):
            for done, line in enumerate(lines):
                if done and done % 2000 == 0:
                    ExportJob.objects.filter(pk=job.pk).update(rows_done=done, updated_at=timezone.now())
                yield line

        lines = counted(registry_rows(rows))
        made = csv_file(lines) if job.file_format == "csv" else xlsx_of(lines, _("Beneficiaries"))
        with made:
            job.file.save(f"{secrets.token_urlsafe(16)}.{job.file_format}", File(made), save=False)
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.PREPARING).update(
            file=job.file.name, status=ExportJob.Status.READY, rows_done=total, updated_at=timezone.now()
        )
