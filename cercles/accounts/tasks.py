from django.utils import timezone
from huey.contrib.djhuey import db_task


@db_task()
def build_personal_data(export_id):
    """Write the person's archive, then tell them it is ready."""
    from django.urls import reverse
    from django.utils import translation

    from cercles.core.archives import build_archive

    from .models import PersonalDataExport
    from .personal_data import write_personal_data
    from .signals import personal_data_ready

    export = PersonalDataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or not export.is_pending or not export.user.is_active:
        return
    person = export.user
    with translation.override(person.language):
        build_archive(
            export,
            lambda writer: write_personal_data(person, writer),
            filename=f"cercles-{person.username}-{timezone.localdate():%Y-%m-%d}.zip",
        )
    # The notifications app tells the person (cercles/notifications/accounts.py).
    personal_data_ready.send(sender=PersonalDataExport, person=person, url=reverse("my_data"))


@db_task()
def end_sessions(user_id):
    """Remove a deleted person's stored sessions (their new password hash already ended them)."""
    from django.contrib.sessions.backends.cache import KEY_PREFIX
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    user_key = str(user_id)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(
            chunk_size=500
        )
        if session.get_decoded().get("_auth_user_id") == user_key
    ]
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
        cache.delete_many([KEY_PREFIX + key for key in ended])
