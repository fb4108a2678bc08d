from django.core.exceptions import ValidationError


class ConflictError(ValidationError):
    """A write refused because the data changed under it (an edit from a stale version, a state
    that no longer allows the action). Views show its message and change nothing."""
