from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .selectors import member_project_list, project_list, project_sheet


@login_not_required
def home(request):
    projects = project_list(user=request.user)
    return render(request, "projects/home.html", {"projects": projects})


@login_not_required
def project_index(request):
    projects = project_list(user=request.user).prefetch_related("locations")
    return render(request, "projects/project_list.html", {"projects": projects})


@login_not_required
def project_detail(request, code: str):
    project = project_sheet(user=request.user, code=code)
    fundings = list(project.fundings.all())
    funded_total = sum((funding.amount for funding in fundings), start=0)
    is_member = member_project_list(user=request.user).filter(pk=project.pk).exists()
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "fundings": fundings, "funded_total": funded_total, "is_member": is_member},
    )
