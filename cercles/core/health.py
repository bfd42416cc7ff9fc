"""Health of the services Cercles depends on, for /healthz and the load balancer."""

import uuid

from django.core.cache import cache
from django.db import connection
from huey.contrib.djhuey import HUEY


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def check_job_queue():
    HUEY.storage.queue_size()


CHECKS = {"database": check_database, "cache": check_cache, "job_queue": check_job_queue}


def service_status():
    """Return ({name: "ok" | "error: …"}, all_ok)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means the service is down
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results, all(value == "ok" for value in results.values())
