"""English is the source language: give every entry of locale/en its msgid as msgstr.

Run by ``make messages`` after makemessages, so that en.po has no untranslated entry.
"""

from pathlib import Path

import polib

path = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
catalogue = polib.pofile(str(path))
for entry in catalogue:
    if entry.msgid_plural:
        if not all(entry.msgstr_plural.values()):
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    elif not entry.msgstr:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
catalogue.save()
