"""The publication of a release as a background job (Django's tasks API): the audit of the figures
(reports.figures, HiGHS) takes seconds on a large project, too long for a request."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import services
from .models import Publication

logger = logging.getLogger(__name__)

Status = Publication.Status


def request_publication(*, project, by) -> Publication:
    """Ask for the project's figures to be published; refused while a publication is under way."""
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                project=project, created_by=by, language=translation.get_language()
            )
    except IntegrityError:  # one_publication_at_a_time
        raise ValidationError(_("A release of this project is being published: wait for it.")) from None
    publish.enqueue(str(publication.pk))
    return publication


@task()
def publish(publication_id: str) -> None:
    publication = Publication.objects.select_related("project", "created_by").filter(pk=publication_id).first()
    if publication is None or not publication.is_running:
        return  # published already by an earlier run of this task
    with translation.override(publication.language):
        try:
            with transaction.atomic():
                # The claim: a second run finds the publication done, and publishes nothing twice.
                claimed = Publication.objects.filter(pk=publication.pk, status=Status.PUBLISHING)
                if not claimed.update(status=Status.PUBLISHED, updated_at=timezone.now()):
                    return
                release = services.publish_release(project=publication.project, by=publication.created_by)
                Publication.objects.filter(pk=publication.pk).update(release=release)
        except ValidationError as error:
            _failed(publication, " ".join(error.messages))
        except Exception:
            logger.exception("Publication %s failed", publication.pk)
            _failed(publication, _("The publication stopped on an unexpected error. Nothing was published."))
            raise


def _failed(publication: Publication, reason: str) -> None:
    Publication.objects.filter(pk=publication.pk, status=Status.PUBLISHING).update(
        status=Status.FAILED, error=reason, updated_at=timezone.now()
    )
