from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ConfinedTokenAuthentication(TokenAuthentication):
    """Token authentication that keeps a volunteer's token inside the volunteer API.

    Session requests are confined by ``VolunteerConfinementMiddleware``; a token is read only
    when DRF authenticates, after the middleware, so the same rule is applied here.
    """

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            user = found[0]
            if getattr(user, "is_volunteer", False) and not request.path.startswith(
                tuple(settings.WUSHE_VOLUNTEER_PATHS)
            ):
                raise exceptions.NotFound()
        return found
