"""The REST API of residents' files (mounted by wushe/api_urls.py)."""
