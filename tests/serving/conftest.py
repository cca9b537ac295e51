import uuid

import pytest

from tests.serving.servers import REDIS_URL, Site, free_port_server, stop


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("site"))
    yield site
    site.drop()


@pytest.fixture(scope="module")
def serve(site, tmp_path_factory):
    """Start a two-worker gunicorn on the site with extra environment; stopped at the end of
    the module. Each server counts in its own namespace of the cache (a fresh key prefix)."""
    started = []

    def start(**env):
        env = {**site.env, "CACHE_KEY_PREFIX": uuid.uuid4().hex, **env}
        server = free_port_server(env, tmp_path_factory.mktemp("gunicorn") / "log")
        started.append(server)
        return server

    yield start
    for server in started:
        stop(server.process)


CACHES = {"database": {}, "redis": {"REDIS_URL": REDIS_URL}}
