from django.utils.functional import SimpleLazyObject


def leads_circle(request):
    """`leads_circle_link` for the navigation: (title, url) of the leads' circle for its members
    once two communities run. Read from the cache, no query."""

    def link():
        from .leads_circle import navigation_link

        return navigation_link(request.user) or ()

    return {"leads_circle_link": SimpleLazyObject(link)}
