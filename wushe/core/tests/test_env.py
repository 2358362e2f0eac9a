import pytest
from django.core.exceptions import ImproperlyConfigured

from wushe.core.env import env_bool, env_int, env_list


def test_a_misspelt_boolean_stops_with_its_name(monkeypatch):
    monkeypatch.setenv("WUSHE_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="WUSHE_DEBUG"):
        env_bool("WUSHE_DEBUG", False)


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_booleans_read_the_usual_words(monkeypatch, raw, value):
    monkeypatch.setenv("WUSHE_X", raw)
    assert env_bool("WUSHE_X", not value) is value


def test_a_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("WUSHE_SESSION_SECONDS", "5")
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        env_int("WUSHE_SESSION_SECONDS", 28800, minimum=60)
    monkeypatch.setenv("WUSHE_SESSION_SECONDS", "two")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("WUSHE_SESSION_SECONDS", 28800, minimum=60)


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("WUSHE_ALLOWED_HOSTS", " a.example , b.example,,")
    assert env_list("WUSHE_ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("WUSHE_ALLOWED_HOSTS")
    assert env_list("WUSHE_ALLOWED_HOSTS", ["x"]) == ["x"]
