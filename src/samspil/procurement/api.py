"""The procurement API: procurements, their buyers and options, and the OCDS releases —
the same reads, services and permission rules as the pages."""

from ninja import Router

router = Router()

# section: procurements (core owner)

# section: buyers and options (buyers owner)

# section: ocds (ocds owner)
