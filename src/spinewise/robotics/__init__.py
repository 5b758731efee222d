"""Robotic-assisted trunk therapy: device interface, simulator, assist-as-needed control,
independent safety monitor and session metrics. Pure: no web or database imports.

Start with :class:`spinewise.robotics.session.TherapySession`; the modules are

- ``device``: the ``DeviceDriver`` protocol, ``DeviceState``, ``DeviceConfig``;
- ``anthropometry``, ``patient``, ``simulator``: the simulated trunk, patient and robot;
- ``protocols``: therapy protocols and clinician limits as data, target trajectories;
- ``controller``: the assist-as-needed controller;
- ``safety``: the safety monitor;
- ``session``: the control loop, fault injection, live samples;
- ``metrics``: per-repetition and session metrics;
- ``wire``, ``remote``: the wire format for real devices, a host driver, a device emulator.

Simulated, not a medical device: see docs/robotics.md. (Kept free of imports so that
``spinewise --help`` does not load numpy.)
"""
