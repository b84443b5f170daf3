"""What reaches the server's log from a request: never an attacker's text, never a session id.

Django logs a rejected request (bad Host, body too large, too many fields: its
``SuspiciousOperation`` family) at ERROR, with a traceback and the attacker's own
words (a Host header of 5,000 characters), and every 4xx or 5xx with its path. A
probe gets one short WARNING line naming the kind of rejection; a server error one
ERROR line naming the exception's class and where it was raised in our code. Nothing
the client sent is quoted.
"""

from __future__ import annotations

import logging
import traceback


class RequestLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "rejected request: %s", (record.name.rsplit(".", 1)[1][:60],)
            _strip(record)
            return True
        if record.name in ("django.request", "django.server"):
            status = getattr(record, "status_code", None)
            if status is None or status < 500:
                return False  # 4xx: the client's mistake or a probe; nothing to keep
            record.msg, record.args = "server error %s: %s", (status, _where(record))
            _strip(record)
            return True
        return True


def _where(record: logging.LogRecord) -> str:
    if not record.exc_info or record.exc_info[1] is None:
        return "no exception"
    exc = record.exc_info[1]
    frames = traceback.extract_tb(exc.__traceback__)
    place = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{place}"


def _strip(record: logging.LogRecord) -> None:
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    for name in ("request", "status_code"):
        record.__dict__.pop(name, None)
