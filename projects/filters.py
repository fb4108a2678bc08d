"""What the lists' filters of the apps above offer of projects' data."""

from .models import Location
from .selectors import cities_of, member_project_list


def city_filter_choices(request):
    """The cities a list's city filter offers: those of the countries of the reader's projects
    (every city for a filter read without a request, as a background export reads it)."""
    if request is None:
        return Location.objects.filter(kind=Location.Kind.CITY)
    return cities_of(member_project_list(user=request.user))
