"""A session's attendance for phones (KoboToolbox, ODK Collect), as an XLSForm: one question per
person enrolled, present, excused or absent, as on the attendance grid."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.imports import ImportFileError, read_table
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
    for person, _mark in attendance_sheet(session=session):
        # The name as the attendance grid shows it, the reference to tell namesakes apart.
        label = f"{person.last_name.upper()} {person.first_name} · {person.reference}"
        survey.append(question(f"select_one {MARKS}", f"enrollment_{person.pk}", label, required="yes"))
    title = _("Attendance")
    return workbook(
        survey=survey,
        choices=[choice(MARKS, value, label) for value, label in Attendance.Status.choices],
        form_title=f"{training.project.code} · {title} · {session.date.isoformat()}",
        form_id=f"masar_attendance_{session.pk}",
        version=timezone.localtime().strftime("%Y%m%d%H%M"),
    )


def marks_from_export(*, session: Session, filename: str, content: bytes) -> tuple[dict[int, str], int]:
    """The marks a KoboToolbox (or ODK) export of this session's attendance form holds: its last
    submission for the session, as {enrollment id: mark} for the people on the roster now, and how
    many of its answers were left out (someone no longer enrolled, a value not a mark). Raises
    ImportFileError for a file that cannot be read or holds no submission of the session."""
    table = read_table(filename, content)
    header = [cell.strip() for cell in table[0]]
    if "session" not in header:
        raise ImportFileError(_("This file is not an export of a Masar attendance form."))
    session_column = header.index("session")
    rows = [row for row in table[1:] if session_column < len(row) and row[session_column].strip() == str(session.pk)]
    if not rows:
        raise ImportFileError(_("This file holds no submission of this session."))
    if "_submission_time" in header:  # the last one sent, if it was sent more than once
        time_column = header.index("_submission_time")
        rows.sort(key=lambda row: row[time_column] if time_column < len(row) else "")
    latest = rows[-1]
    on_roster = {person.pk for person, _mark in attendance_sheet(session=session)}
    marks, left_out = {}, 0
    for index, name in enumerate(header):
        if not name.startswith("enrollment_") or index >= len(latest) or not latest[index].strip():
            continue
        enrollment_id, mark = name.removeprefix("enrollment_"), latest[index].strip()
        if enrollment_id.isdigit() and int(enrollment_id) in on_roster and mark in Attendance.Status.values:
            marks[int(enrollment_id)] = mark
        else:
            left_out += 1
    return marks, left_out
