from .roles import Role, user_roles


def navigation(request):
    """What the layout needs to show the navigation a user's roles allow."""
    if not hasattr(request, "user"):
        return {}
    # Cached on the request: included templates (tables, forms) run context processors again.
    if not hasattr(request, "_masar_roles"):
        request._masar_roles = user_roles(request.user)
    roles = request._masar_roles
    match = getattr(request, "resolver_match", None)
    return {
        # The section the page belongs to, for the navigation's aria-current (``nav_in.trainings``):
        # the URL namespace ("beneficiaries", "trainings", "workshops", "reports"), or "home".
        "nav_in": {("home" if match.url_name == "home" else match.namespace): True} if match else {},
        "nav_is_staff": bool(roles & {Role.FIELD_STAFF, Role.ME_OFFICER, Role.ADMINISTRATOR}),
        "nav_is_donor": Role.DONOR in roles,
        "nav_is_admin": getattr(request.user, "is_staff", False),
    }
