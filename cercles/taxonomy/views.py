from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from .forms import ThemeForm
from .models import Theme
from .services import save_theme


@permission_required("taxonomy.manage_themes", raise_exception=True)
def theme_list(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        theme = save_theme(request.user, form.instance)
        messages.success(request, _("The theme “%(name)s” has been added.") % {"name": theme.name})
        return redirect("coordination:themes")
    themes = Theme.objects.annotate(people_count=Count("people"))
    return render(request, "taxonomy/theme_list.html", {"form": form, "themes": themes})


@permission_required("taxonomy.manage_themes", raise_exception=True)
def theme_edit(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        save_theme(request.user, form.instance)
        messages.success(request, _("The theme “%(name)s” has been saved.") % {"name": theme.name})
        return redirect("coordination:themes")
    return render(request, "taxonomy/theme_form.html", {"form": form, "theme": theme})
