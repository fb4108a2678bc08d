"""core.auth_backends.ModelBackend: Django's permission rules, in one query."""

import pytest
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission

from core.auth_backends import ModelBackend
from core.roles import Role


def _fresh(user):
    """The user as the next request loads them: nothing kept from before."""
    return get_user_model().objects.get(pk=user.pk)


def test_each_persona_holds_exactly_the_permissions_django_gives_them(personas, django_assert_num_queries):
    export = Permission.objects.get(codename="export_beneficiary")
    personas["field_staff"].user_permissions.add(export)  # a permission of the user's own, beside the role's
    for name, user in personas.items():
        if user is None:  # the anonymous visitor, below
            continue
        expected = backends.ModelBackend().get_all_permissions(_fresh(user))
        fresh = _fresh(user)
        with django_assert_num_queries(1):
            assert ModelBackend().get_all_permissions(fresh) == expected, name
        assert fresh.get_all_permissions() == expected and expected, name
    assert "beneficiaries.export_beneficiary" in _fresh(personas["field_staff"]).get_all_permissions()


def test_no_permission_for_an_inactive_or_anonymous_user_or_for_an_object(me_officer, django_assert_num_queries):
    backend, fresh = ModelBackend(), _fresh(me_officer)
    me_officer.is_active = False
    with django_assert_num_queries(0):
        assert backend.get_all_permissions(me_officer) == set()
        assert backend.get_all_permissions(AnonymousUser()) == set()
        assert backend.get_all_permissions(fresh, obj=me_officer) == set()


def test_a_role_taken_away_is_gone_at_the_next_request(me_officer):
    assert _fresh(me_officer).has_perm("beneficiaries.view_beneficiary")
    me_officer.groups.remove(Group.objects.get(name=Role.ME_OFFICER.value))
    assert not _fresh(me_officer).has_perm("beneficiaries.view_beneficiary")


@pytest.mark.parametrize("is_superuser", [True, False])
def test_a_superuser_holds_every_permission_and_only_a_superuser(admin_user, is_superuser):
    admin_user.groups.clear()
    admin_user.is_superuser = is_superuser
    admin_user.save()
    every = Permission.objects.count()
    assert len(ModelBackend().get_all_permissions(_fresh(admin_user))) == (every if is_superuser else 0)
