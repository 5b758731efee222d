"""Implantable intrathecal pump programmes: drug library, checks, PK simulation, planner, app.

Decision support for clinicians, not a medical device: every programme is checked against a
drug library whose figures must be verified against local policy. See docs/dosing.md.

Pure modules (no web or database imports; import from the module, this package stays light):

- ``library``: ``DrugLibrary``, ``load_library(path | None)``, ``default_library()``,
  ``library_from_dict``, ``library_fingerprint`` (record which library checked a programme);
- ``programme``: ``Programme`` (usable as an API request schema), ``programme_from_dict``;
- ``doses``: ``basal_daily_dose``, ``max_daily_dose``, ``refill_due_days`` (exact Fractions);
- ``check``: ``check_programme`` → ``CheckResult`` (``ok``, ``violations``, ``to_dict()``),
  ``ensure_acceptable`` raising ``ProgrammeRejected`` (422 with every violation);
- ``pk``: ``simulate`` (closed-form levels), ``programme_hourly_levels`` (steady state);
- ``planner``: ``plan_schedule`` → ``PlanResult``, ``parse_pain_profile``;
- ``refill``: ``plan_refill`` → ``RefillPlan`` (due date, rounded down);
- ``plot``: ``level_and_pain_figure``; ``chart``: ``level_chart_svg`` (server-rendered SVG).

App modules (the platform's layers): ``models`` (tables), ``schemas`` (API shapes),
``service`` (use cases; the one place that stores programmes; events after commit),
``api`` (``/api/v1``), ``pages`` + ``templates/`` (clinician and patient pages).
"""
