import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_even_for_an_english_browser(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in page.content.decode()


def test_english_is_chosen_with_the_switcher(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Log in" in page.content.decode()


def test_the_api_follows_accept_language(client):
    answer = client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 401
    assert "credentials" in answer.json()["detail"]
    answer = client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "credentials" not in answer.json()["detail"]
