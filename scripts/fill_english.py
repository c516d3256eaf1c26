"""English is the source language: give every entry of locale/en its msgid as msgstr.

Run by ``make messages`` after makemessages, so that en.po has no untranslated entry.
"""

from pathlib import Path

import polib

path = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
catalogue = polib.pofile(str(path))
for entry in catalogue:
    # Always the source text: makemessages' fuzzy guesses borrow other entries' text.
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
catalogue.save()
