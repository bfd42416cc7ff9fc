from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .compose import member_home, visitor_home
from .registry import needs_for, news_for


@login_not_required
def home(request):
    if request.user.is_authenticated:
        context = member_home(request.user)
        context["needs"] = needs_for(request)
        context["news"] = news_for(request)
    else:
        context = visitor_home()
    return render(request, "home/home.html", context)
