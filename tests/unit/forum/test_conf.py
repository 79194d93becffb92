"""The forum's limits are configurable: a Django setting, else the environment, else the
default."""

from forum.conf import DEFAULTS, forum_setting


def test_a_setting_wins_over_the_environment(settings, monkeypatch):
    monkeypatch.setenv("FORUM_POSTS_PER_MINUTE", "9")
    settings.FORUM_POSTS_PER_MINUTE = 2
    assert forum_setting("FORUM_POSTS_PER_MINUTE") == 2


def test_the_environment_sets_the_limit_when_settings_do_not(settings, monkeypatch):
    if hasattr(settings, "FORUM_POSTS_PER_MINUTE"):
        del settings.FORUM_POSTS_PER_MINUTE
    monkeypatch.setenv("FORUM_POSTS_PER_MINUTE", "9")
    assert forum_setting("FORUM_POSTS_PER_MINUTE") == 9
    monkeypatch.delenv("FORUM_POSTS_PER_MINUTE")
    assert forum_setting("FORUM_POSTS_PER_MINUTE") == DEFAULTS["FORUM_POSTS_PER_MINUTE"] == 5
