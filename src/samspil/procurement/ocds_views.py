"""Filled in by its owner (see /tmp/brief-procurement.md)."""
