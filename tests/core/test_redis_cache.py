"""The Redis cache backend (core.cache): Django's, reusing one client per pool."""

import os
import uuid

import pytest

from core.cache import RedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs the Redis server REDIS_URL names"
)


@pytest.fixture
def redis_cache():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["version", "page", "counter"])


def test_one_client_serves_every_call(redis_cache):
    first = redis_cache._cache.get_client("page")
    again = redis_cache._cache.get_client("version", write=True)

    assert first is again


def test_values_round_trip_as_with_djangos_backend(redis_cache):
    redis_cache.set("page", {"html": "<p>Łódź</p>", "status": 200}, 60)
    assert redis_cache.add("version", 1, None)
    assert not redis_cache.add("version", 2, None)
    redis_cache.set("counter", 1, 60)

    assert redis_cache.get("page") == {"html": "<p>Łódź</p>", "status": 200}
    assert redis_cache.get("version") == 1
    assert redis_cache.incr("counter") == 2
    assert redis_cache.get("missing", "default") == "default"
