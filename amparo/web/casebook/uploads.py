"""Uploads (casebook backups to restore, case transfer files to import) stay in memory, and bounded.

In memory: no temporary file, even of ciphertext. Bounded: on a fresh install the restore
page needs no session, so without a limit anyone could make the server hold any amount.
A body announced larger than the limit is refused before it is read (the restore view
checks Content-Length); a body that grows past it while streaming stops here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.http import HttpRequest


def max_upload_bytes() -> int:
    return int(settings.AMPARO_RESTORE_MAX_BYTES)


def announced_bytes(request: HttpRequest) -> int:
    """The size the request's Content-Length announces (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BoundedMemoryUploadHandler(MemoryFileUploadHandler):
    """Django's in-memory handler, stopping an upload that passes :func:`max_upload_bytes`."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.activated = True  # always in memory, whatever FILE_UPLOAD_MAX_MEMORY_SIZE says

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)
