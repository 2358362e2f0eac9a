"""Receiving an uploaded sheet in memory, up to the size limit.

Django's default handlers write an upload over 2.5 MB to a temporary file in plaintext; a sheet
of residents is personal data, so the import pages and API read it into memory instead, where
it stays until ``storage`` has encrypted it. Past ``conf.max_bytes`` the rest of the file is
skipped (not buffered) and ``too_large`` is set, for the form to say so beside the field.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from wushe.imports import conf


class CappedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = conf.max_bytes() if limit is None else limit
        self.too_large = False
        self.buffer = io.BytesIO()

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def capped_upload(request: HttpRequest) -> CappedMemoryUploadHandler:
    """Make ``request`` read its files with the capped handler (before its body is read)."""
    handler = CappedMemoryUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
