"""What every upload shares: a person's file name made safe to keep as data, a workbook
opened safely."""

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _


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


class FileRefused(Exception):
    """An uploaded file as a whole cannot be read (type, size, encoding, layout)."""


# A workbook is a zip: its unpacked size, not the upload's, is what a reader must hold.
MAX_UNPACKED_XLSX_BYTES = 50 * 1024 * 1024


@contextmanager
def first_sheet(data: bytes) -> Iterator[Any]:
    """The first worksheet of an XLSX upload, read-only; ``FileRefused`` for a damaged,
    foreign, empty or zip-bomb file."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_XLSX_BYTES:
            raise FileRefused(_("The workbook is too large when unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise FileRefused(_("The file is not a readable XLSX workbook.")) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(_("The workbook has no sheet."))
        yield workbook.worksheets[0]
    finally:
        workbook.close()
