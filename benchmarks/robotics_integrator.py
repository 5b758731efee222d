"""Integrator choice for the simulated trunk: fixed-step semi-implicit Euler vs SciPy.

Baseline (named, measured in the same run): ``scipy.integrate.solve_ivp`` (RK45, rtol 1e-8)
restarted at every 1 ms control cycle, which is what a zero-order-hold digital controller
forces on an adaptive ODE solver. Both integrate the same undamped, unforced trunk
(k > m g d, so it oscillates) for 5 s; the script prints the speed ratio and each method's
worst relative energy error. It then runs a whole therapy session (controller, safety monitor,
patient model, 1 kHz) and prints its real-time factor: simulated seconds per second of CPU,
against the session's own duration as the baseline (1.0× would be exactly real time).

Run: ``PYTHONPATH=src python benchmarks/robotics_integrator.py``
"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy.integrate import solve_ivp

from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.device import DeviceConfig
from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import load_protocol
from spinewise.robotics.session import TherapySession
from spinewise.robotics.simulator import SimulatedTrunkDevice

SEG = TrunkSegment(50.0, 0.3, 8.0, stiffness_nm_per_rad=300.0, damping_nm_s_per_rad=0.0)
DT, DURATION, THETA0 = 0.001, 5.0, 0.2
STEPS = round(DURATION / DT)
SWING_J = 0.5 * (300.0 - 50.0 * 9.81 * 0.3) * THETA0**2


def semi_implicit_euler() -> tuple[float, float]:
    device = SimulatedTrunkDevice(
        segment=SEG, config=DeviceConfig(latency_s=0.0), initial_angle_rad=THETA0
    )
    device.connect()
    device.arm()
    e0, worst = SEG.energy_j(THETA0, 0.0), 0.0
    start = time.perf_counter()
    for _ in range(STEPS):
        device.command_torque(0.0)
        device.advance()
        worst = max(worst, abs(SEG.energy_j(device.angle_rad, device.velocity_rad_s) - e0))
    return time.perf_counter() - start, worst / SWING_J


def solve_ivp_per_cycle() -> tuple[float, float]:
    def rhs(_t: float, y: np.ndarray, torque: float) -> list[float]:
        theta, omega = y
        alpha = (
            SEG.gravity_torque_nm(theta) + SEG.passive_torque_nm(theta, omega) + torque
        ) / SEG.inertia_kg_m2
        return [omega, alpha]

    y = np.array([THETA0, 0.0])
    e0, worst = SEG.energy_j(THETA0, 0.0), 0.0
    start = time.perf_counter()
    for k in range(STEPS):
        sol = solve_ivp(rhs, (k * DT, (k + 1) * DT), y, args=(0.0,), rtol=1e-8, atol=1e-10)
        y = sol.y[:, -1]
        worst = max(worst, abs(SEG.energy_j(float(y[0]), float(y[1])) - e0))
    return time.perf_counter() - start, worst / SWING_J


def whole_session() -> tuple[float, float]:
    """CPU seconds for a ~62-s flexion-extension session, and the session's length."""
    protocol = load_protocol(
        {
            "name": "benchmark flexion-extension",
            "limits": {"angle_deg": [-10, 40], "torque_nm": 80, "velocity_deg_s": 40},
            "exercises": [
                {
                    "kind": "flexion_extension",
                    "range_deg": [0, 30],
                    "period_s": 5.0,
                    "hold_s": 0.5,
                    "repetitions": 10,
                    "rest_s": 0.5,
                }
            ],
        }
    )
    session = TherapySession(protocol, PatientModel(mass_kg=80.0, height_m=1.75, strength=0.4))
    start = time.process_time()
    session.run()
    return time.process_time() - start, session.t_s


if __name__ == "__main__":
    euler_s, euler_err = semi_implicit_euler()
    ivp_s, ivp_err = solve_ivp_per_cycle()
    print(
        f"semi-implicit Euler : {euler_s * 1e6 / STEPS:7.1f} µs/cycle, energy error {euler_err:.2%}"
    )
    print(f"solve_ivp per cycle : {ivp_s * 1e6 / STEPS:7.1f} µs/cycle, energy error {ivp_err:.2e}")
    print(f"speed ratio (solve_ivp / Euler): {ivp_s / euler_s:.1f}x")
    period = 2 * math.pi / math.sqrt((300.0 - 147.15) / 8.0)
    print(f"(trunk natural period {period:.2f} s; control period {DT * 1e3:.0f} ms)")
    cpu_s, session_s = whole_session()
    print(
        f"whole session       : {session_s:.0f} s simulated in {cpu_s:.2f} s of CPU, "
        f"{session_s / cpu_s:.0f}x real time"
    )
