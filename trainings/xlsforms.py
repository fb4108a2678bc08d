"""A session's attendance for phones (KoboToolbox, ODK Collect), as an XLSForm: one question per
person enrolled, present, excused or absent, as on the attendance grid."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.xlsforms import choice, question, workbook

from .models import Attendance, Session
from .selectors import attendance_sheet

MARKS = "attendance"


def attendance_xlsform(session: Session) -> bytes:
    training = session.training
    survey = [
        question("calculate", "session", _("Session"), calculation=str(session.pk)),
        question("note", "about", f"{training.title} · {formats.date_format(session.date, 'DATE_FORMAT')}"),
    ]
    for enrollment, _mark in attendance_sheet(session=session):
        person = enrollment.beneficiary
        # The name as the attendance grid shows it, the reference to tell namesakes apart.
        label = f"{person.last_name.upper()} {person.first_name} · {person.reference}"
        survey.append(question(f"select_one {MARKS}", f"enrollment_{enrollment.pk}", label, required="yes"))
    title = _("Attendance")
    return workbook(
        survey=survey,
        choices=[choice(MARKS, value, label) for value, label in Attendance.Status.choices],
        form_title=f"{training.project.code} · {title} · {session.date.isoformat()}",
        form_id=f"masar_attendance_{session.pk}",
        version=timezone.localtime().strftime("%Y%m%d%H%M"),
    )
