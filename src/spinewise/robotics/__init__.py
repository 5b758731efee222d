"""Robotic-assisted trunk therapy: device interface, simulator, assist-as-needed control,
independent safety monitor and session metrics (pure: no web or database imports).

Simulated, not a medical device: see docs/robotics.md.
"""
