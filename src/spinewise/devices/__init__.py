"""Devices: posture sensors and phones registered by patients, and live ingestion of their samples."""
