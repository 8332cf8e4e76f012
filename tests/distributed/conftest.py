"""Fixtures of the distributed-crawl tests: the real Redis (127.0.0.1:6379, or
$GOVCRAWL_TEST_REDIS), a crawl id of each test's own (so its keys never meet another's), and the
deletion of that crawl's keys afterwards. Without Redis the tests skip, unless $CI is set: CI
starts Redis (.ci/run), so there a missing Redis is a failure."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.distributed.workers import REDIS_URL, delete_keys


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        message = f"Redis at {REDIS_URL} unreachable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: Redis is required)")
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture
def crawl_id(redis_url):
    """A crawl id no other test uses; every key of its crawls is deleted after the test."""
    value = f"test-{uuid.uuid4().hex[:12]}"
    yield value
    delete_keys(redis_url, value)
