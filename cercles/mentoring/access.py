"""Who reads a community as a mentor: the current mentors of its needs (third-party guests
included), for the time of their accompaniment."""

from .models import Mentorship


def reads_as_mentor(user, community):
    return Mentorship.objects.current().filter(mentor=user, community=community).exists()


def mentored_community_ids(user):
    return Mentorship.objects.current().filter(mentor=user).values("community_id")
