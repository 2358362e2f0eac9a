from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse


class VolunteerConfinementMiddleware:
    """A signed-in volunteer reaches only the volunteer pages and API (``WUSHE_VOLUNTEER_PATHS``).

    Every other page answers 404, as for anything outside a user's scope: a volunteer serves
    residents, so the minimum of their data reaches them through their tasks and nothing else —
    not through a staff page that forgot a role check. The home page sends them to their tasks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "is_volunteer", False):
            path = request.path
            if path == "/":
                return HttpResponseRedirect(reverse(settings.WUSHE_VOLUNTEER_HOME))
            if not path.startswith(tuple(settings.WUSHE_VOLUNTEER_PATHS)):
                raise Http404
        return self.get_response(request)
