"""Threads and posts for tests: the first post through the service, many more in bulk."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from cercles.discussions import services
from cercles.discussions.models import Post, Thread

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def pdf_upload(name="compte-rendu.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def start_thread(community, author, title="Entretien des forages", body="Comment faites-vous ?"):
    return services.start_thread(author, community, title=title, body=body)


def add_posts(thread, authors, count):
    """`count` posts in bulk, by the authors in turn, keeping the thread's counters right."""
    start = timezone.now() - datetime.timedelta(minutes=count)
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[i % len(authors)],
            body=f"Message numéro {i} : retour d'expérience du comité.",
            created_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(count)
    )
    last_id = thread.posts.aggregate(last=Max("id"))["last"]
    Thread.objects.filter(pk=thread.pk).update(
        post_count=thread.posts.count(), last_post_id=last_id, last_activity_at=timezone.now()
    )
    thread.refresh_from_db()
    return thread
