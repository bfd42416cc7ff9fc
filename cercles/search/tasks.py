from huey.contrib.djhuey import db_task


@db_task(retries=1, retry_delay=60)
def extract_file_text(kind_key, object_id):
    """Read an uploaded file's text for search (PDF, office documents)."""
    from . import kinds
    from .extraction import extract

    kind = kinds.get(kind_key)
    if kind is None:
        return
    obj = kind.objects().filter(pk=object_id).first()
    if obj is not None:
        extract(kind, obj)
