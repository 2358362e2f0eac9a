from __future__ import annotations


class ChineseFirstMiddleware:
    """Pages are in Chinese unless the user picks English with the language switcher.

    Django would otherwise follow the browser's Accept-Language header, and many station PCs run
    an English-language browser set up by whoever installed them; the people using wushe read
    Chinese. The API keeps the header, so a client can ask for English error messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
