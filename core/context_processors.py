from .roles import Role, user_roles


def navigation(request):
    """What the layout needs to show the navigation a user's roles allow."""
    roles = user_roles(request.user) if hasattr(request, "user") else set()
    return {
        "nav_is_staff": bool(roles & {Role.FIELD_STAFF, Role.ME_OFFICER, Role.ADMINISTRATOR}),
        "nav_is_donor": Role.DONOR in roles,
        "nav_is_admin": getattr(request.user, "is_staff", False),
    }
