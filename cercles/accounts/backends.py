import rules
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend


class AuthenticationBackend(AllauthBackend):
    """allauth's log-in by email, without Django's model permissions for Cercles' own rules.

    Cercles' permissions are decided by the rules backend alone: asking the model backend too
    would cost two queries per request for every permission the rules refuse.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)
