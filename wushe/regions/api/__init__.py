"""The REST API of this app (mounted by wushe/api_urls.py)."""
