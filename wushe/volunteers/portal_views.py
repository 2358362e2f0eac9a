"""The volunteer's own pages. Only a volunteer account may open them; everything here is
read through the volunteer's own record, never through a region scope."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def home(request):
    if not request.user.is_volunteer:
        raise Http404
    return render(request, "volunteers/portal_home.html", {})
