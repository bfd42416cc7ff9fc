from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.formats import number_format
from rules.contrib.views import permission_required

from cercles.accounts.directory import directory_size

from . import query
from .directory import PeopleFilters, cards, people
from .forms import PeopleFilterForm, SearchForm
from .text import MAX_QUERY_CHARS


@login_not_required
def search(request):
    """/search/?q=…: what the person may read (visitors: what is public), grouped by kind."""
    form = SearchForm(request.GET or None, user=request.user)
    values = form.valid_filters()
    q = (values.get("q") or "").strip()
    filters = query.Filters(
        kind=values.get("kind") or "",
        community=values.get("community"),
        theme=values.get("theme"),
        territory=values.get("territory"),
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )
    results = query.search(request.user, q, filters, page=request.GET.get("page")) if q else None
    context = {
        "form": form,
        "q": q,
        "results": results,
        "sections": _sections(results),
        "max_query_chars": MAX_QUERY_CHARS,
        "phrase_window": number_format(query.PHRASE_WINDOW, force_grouping=True),
    }
    return render(request, "search/search.html", context)


def _sections(results):
    """The page's hits under their kind's heading, kinds in their usual order, best first."""
    if not results:
        return []
    sections = {}
    for hit in results.hits:
        sections.setdefault(hit.kind.key, (hit.kind, []))[1].append(hit)
    order = {kind.key: position for position, (kind, _count) in enumerate(results.groups)}
    return sorted(sections.values(), key=lambda section: order.get(section[0].key, 99))


@login_not_required
def suggest(request):
    """Search as you type: a few titles under the header's search box (htmx)."""
    q = (request.GET.get("q") or "").strip()
    hits = query.suggest(request.user, q) if len(q) >= 2 else []
    return render(request, "search/includes/suggestions.html", {"hits": hits, "q": q})


PEOPLE_PER_PAGE = 24


@permission_required("accounts.view_directory", raise_exception=True)
def directory(request):
    """/people/: the expert directory, with why each person matches."""
    form = PeopleFilterForm(request.GET or None)
    values = form.valid_filters()
    filters = PeopleFilters(
        q=(values.get("q") or "").strip(),
        skill=values.get("skill"),
        theme=values.get("theme"),
        territory=values.get("territory"),
        country=values.get("country") or "",
        organisation=(values.get("organisation") or "").strip(),
        language=values.get("language") or "",
        mentor=bool(values.get("mentor")),
        has_led=bool(values.get("has_led")),
    )
    found, parsed = people(request.user, filters)
    paginator = Paginator(found, PEOPLE_PER_PAGE)
    if not filters:
        paginator.count = directory_size()  # the whole directory: counted once, kept
    page = paginator.get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "cards": cards(page, filters, parsed)}
    return render(request, "search/people.html", context)
