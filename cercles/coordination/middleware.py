"""Every address under /coordination/ is the coordinators' own: to anyone else signed in it
answers 404, as if it did not exist (visitors are sent to log in first)."""

from django.http import Http404

PREFIX = "/coordination/"


class CoordinationOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            request.path_info.startswith(PREFIX)
            and user.is_authenticated
            and not (user.is_active and (user.is_coordinator or user.is_superuser))
        ):
            raise Http404
        return None
