"""The cache backend: Redis through django-redis, which reads an outage as an empty cache."""

from django_redis.cache import RedisCache


class OutageTolerantRedisCache(RedisCache):
    """With IGNORE_EXCEPTIONS, a lost Redis makes `add` answer None. allauth's rate limits take a
    lock with `add` and would then refuse every log in for as long as Redis is away; the lock is
    taken instead (the limits are lifted during the outage: people can still log in)."""

    def add(self, *args, **kwargs):
        added = super().add(*args, **kwargs)
        return True if added is None else added
