"""A project's updates: its staff write them and add photos, an M&E officer approves them, and the
public reads the approved ones (with only the photos that may be shown today)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import services
from .forms import PhotoForm, UpdateForm
from .selectors import (
    dashboard_project,
    project_updates,
    public_photo,
    published_project,
    published_updates,
    staff_update,
)


@never_cache
@require_safe
@permission_required("reports.view_update", raise_exception=True)
def update_list(request, code: str):
    project = dashboard_project(user=request.user, code=code)
    return render(request, "reports/update_list.html", {"project": project, "updates": project_updates(project)})


@never_cache
@permission_required("reports.add_update", raise_exception=True)
def update_create(request, code: str):
    project = dashboard_project(user=request.user, code=code)
    return _update_form(request, project, UpdateForm(request.POST or None), _("New update"))


@never_cache
@permission_required("reports.change_update", raise_exception=True)
def update_edit(request, code: str, pk: int):
    project = dashboard_project(user=request.user, code=code)
    update = staff_update(project=project, pk=pk)
    return _update_form(request, project, UpdateForm(request.POST or None, instance=update), _("Edit the update"))


def _update_form(request, project, form, title: str):
    if request.method == "POST" and form.is_valid():
        update = form.save(commit=False)
        update.project = project
        try:
            update = services.update_save(update=update, by=request.user, version=form.cleaned_data["version"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Update saved. An M&E officer approves it before it is public."))
            return redirect("reports:update-manage", code=project.code, pk=update.pk)
    return render(request, "reports/update_form.html", {"project": project, "form": form, "page_title": title})


@never_cache
@permission_required("reports.view_update", raise_exception=True)
def update_manage(request, code: str, pk: int, photo_form=None):
    """An update as its staff see it: every photo (those that may not be shown are marked), the
    photo form, and approval."""
    project = dashboard_project(user=request.user, code=code)
    update = staff_update(project=project, pk=pk)
    photos = list(update.photos.prefetch_related("people"))
    showable = set(update.photos.showable().values_list("pk", flat=True))
    context = {
        "project": project,
        "update": update,
        "photos": [(photo, photo.pk in showable) for photo in photos],
        "photo_form": photo_form or PhotoForm(),
        "can_approve": request.user.has_perm("reports.approve_update")
        and request.user.pk not in update.contributor_ids(),
    }
    return render(request, "reports/update_manage.html", context, status=400 if photo_form else 200)


@never_cache
@require_POST
@permission_required("reports.add_updatephoto", raise_exception=True)
def photo_add(request, code: str, pk: int):
    project = dashboard_project(user=request.user, code=code)
    update = staff_update(project=project, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                update=update,
                file=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                shows_people=form.cleaned_data["shows_people"],
                references=form.cleaned_data["references"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("reports:update-manage", code=project.code, pk=update.pk)
    return update_manage(request, code, pk, photo_form=form)


@require_POST
@permission_required("reports.delete_updatephoto", raise_exception=True)
def photo_delete(request, code: str, pk: int, photo_pk: int):
    project = dashboard_project(user=request.user, code=code)
    update = staff_update(project=project, pk=pk)
    services.photo_delete(photo=get_object_or_404(update.photos, pk=photo_pk))
    messages.success(request, _("Photo deleted."))
    return redirect("reports:update-manage", code=project.code, pk=update.pk)


@require_POST
@permission_required("reports.approve_update", raise_exception=True)
def update_approve(request, code: str, pk: int):
    project = dashboard_project(user=request.user, code=code)
    update = staff_update(project=project, pk=pk)
    if request.POST.get("action") == "unpublish":
        services.update_unpublish(update=update, by=request.user)
        messages.success(request, _("The update is no longer public."))
    else:
        try:
            services.update_approve(update=update, by=request.user, version=_version(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The update is public."))
    return redirect("reports:update-manage", code=project.code, pk=update.pk)


def _version(request) -> int:
    """The version of the update the approver read (the manage page's form); none read, none approved."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@never_cache
@require_safe
@permission_required("reports.view_update", raise_exception=True)
def staff_photo(request, code: str, pk: int, photo_pk: int):
    """A photo for the project's staff, shown or not to the public."""
    project = dashboard_project(user=request.user, code=code)
    photo = get_object_or_404(staff_update(project=project, pk=pk).photos, pk=photo_pk)
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


@login_not_required
@require_safe
def update_detail(request, code: str, pk: int):
    project = published_project(user=request.user, code=code)
    update = get_object_or_404(published_updates(project), pk=pk)
    return render(request, "reports/update_detail.html", {"project": project, "update": update})


@never_cache  # consent can be withdrawn: no copy of a photo kept by a browser or a proxy
@login_not_required
@require_safe
def update_photo(request, code: str, pk: int, photo_pk: int):
    project = published_project(user=request.user, code=code)
    photo = public_photo(project=project, update_pk=pk, pk=photo_pk)
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")
