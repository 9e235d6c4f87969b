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
# The temporary server starts in a few seconds on an idle machine but can take longer than
# Prefect's 20 s default while extractions keep both cores busy (a nightly run, a test suite).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
