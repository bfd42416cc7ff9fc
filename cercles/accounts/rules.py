"""Network-level permissions. Other apps import the predicates from here."""

import rules


@rules.predicate
def is_member(user):
    return user.is_authenticated and user.is_active


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.is_active and (user.is_coordinator or user.is_superuser)


@rules.predicate
def is_self(user, person):
    return person is not None and user.is_authenticated and user.pk == person.pk


rules.add_perm("accounts.view_directory", is_member)
rules.add_perm("accounts.view_profile", is_member)
rules.add_perm("accounts.change_profile", is_member & is_self)
rules.add_perm("accounts.manage_coordinators", is_coordinator)
