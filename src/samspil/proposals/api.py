"""The proposals API: proposals, their economics and documents, prioritisation rounds,
scores and the optimiser — the same reads, services and permission rules as the pages."""

from ninja import Router

router = Router()

# section: proposals (services.py owner)

# section: economics (economy owner)

# section: documents (documents owner)

# section: rounds and scores (rounds owner)

# section: optimise (optimiser owner)
