"""Prefect defaults for a machine with no Prefect server configured.

Imported before prefect itself. With no PREFECT_API_URL, Prefect runs flows
on a temporary local server; its telemetry heartbeat only adds noise (and
errors when offline), and its home defaults to the user's ~/.prefect, which
an auditor's shared machine may not want written.
"""
import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
