"""What every upload shares: a person's file name made safe to keep as data."""

import os

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename


def safe_file_name(name: str, limit: int = 200) -> str:
    """The last part of a path (either separator), safe characters only, its extension kept."""
    try:
        name = get_valid_filename(os.path.basename(name.replace("\\", "/")))
    except SuspiciousFileOperation:  # nothing usable left, such as "" or ".."
        return "file"
    stem, extension = os.path.splitext(name)
    if len(extension) > 16:
        stem, extension = name, ""
    return stem[: limit - len(extension)] + extension
