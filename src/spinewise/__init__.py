"""Spinewise: an open-source platform for managing back pain with technology."""

__version__ = "0.1.0"
