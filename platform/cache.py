"""The cache backend: django-redis, degrading instead of failing while Redis is unreachable.

With IGNORE_EXCEPTIONS django-redis turns a connection error into a miss (`get`), a dropped
write (`set`, `delete`) and a logged exception. Only `add` needs a different answer: it
returns None then, which callers read as "the key exists, somebody else holds it" – allauth's
rate-limit lock waits a second and answers 429 (nobody can sign in), django-ratelimit counts
nothing and refuses. While Redis is gone, `add` reports success instead, so that those callers
go on as if they were alone: the request is served, unlimited, until Redis is back.
"""

from __future__ import annotations

from typing import Any

from django_redis.cache import RedisCache, omit_exception


class DegradingRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self.client.add(*args, **kwargs)
