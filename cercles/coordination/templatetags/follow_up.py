from django import template

from ..leads_circle import workshop_agenda as agenda

register = template.Library()


@register.inclusion_tag("coordination/includes/workshop_agenda_body.html")
def workshop_agenda(community):
    """The successes and problems of each running community, for the circle's next workshop."""
    return {"community": community, "agenda": agenda()}
