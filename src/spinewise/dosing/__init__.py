"""Implantable intrathecal pump programmes: drug library, checks, PK simulation, planner.

Pure package (no web or database imports). Decision support for clinicians, not a medical
device: every programme is checked against a drug library whose figures must be verified
against local policy. See docs/dosing.md.
"""
