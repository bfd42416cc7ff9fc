"""Reporting in a person's data: the stories they told (and the contributions they wrote)."""

from .models import ValueStory


def export_personal(person, writer):
    stories = ValueStory.objects.filter(author=person).select_related("community").order_by("id")
    writer.json_list(
        "reporting/stories.json",
        (
            {
                "community": story.community.title,
                "title": story.title,
                "happened": story.happened,
                "value": story.value_kind,
                "evidence": story.evidence,
                "featured": story.featured_at is not None,
                "created_at": story.created_at,
            }
            for story in stories.iterator(chunk_size=200)
        ),
    )
