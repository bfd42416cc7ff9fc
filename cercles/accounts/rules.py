"""Network-level permissions. Other apps import the predicates from here."""

import rules


@rules.predicate
def is_member(user):
    """A person of the network; a third-party guest (an outside mentor) is not one."""
    return user.is_authenticated and user.is_active and not getattr(user, "is_guest", False)


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


@rules.predicate
def owns(user, obj):
    return obj is not None and user.is_authenticated and obj.user_id == user.pk


@rules.predicate
def is_deleted(user, person):
    return person is not None and person.deleted_at is not None


rules.add_perm("accounts.manage_api_tokens", is_member)
rules.add_perm("accounts.revoke_api_token", is_member & owns)
rules.add_perm("accounts.download_own_data", is_member)
rules.add_perm("accounts.download_data_export", is_member & owns)
rules.add_perm("accounts.delete_own_account", is_member & is_self)


@rules.predicate
def is_administrator(user, person):
    return person is not None and person.is_superuser


# An administrator's account is deleted by an administrator (or in the Django admin).
rules.add_perm(
    "accounts.delete_account",
    is_coordinator & ~is_self & ~is_deleted & (~is_administrator | rules.is_superuser),
)
rules.add_perm("accounts.view_audit_log", is_coordinator)
