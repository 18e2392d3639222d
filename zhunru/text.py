"""Text as people type it, made safe to store: no NUL characters, no lone surrogates.

PostgreSQL refuses NUL in text and in JSON, and UTF-8 cannot encode a lone surrogate; both
reach us only from broken clients or copy-paste accidents, so they are dropped, not refused.
"""

import re

_BAD = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: str) -> str:
    return _BAD.sub("", value)


def clean_tree(value):
    """clean_text over every string of a JSON-like value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value
