"""Filled in by its owner (see /tmp/brief-proposals.md)."""
