"""Imported by the extraction fork server (isolate.py) before it forks any child: reads what
every extraction reads first, so each child starts with it instead of paying for it.

The template profiles (extractors/profiles/*.yaml, their title patterns and markers compiled)
cost ~50 ms of CPU to load: a tenth of a 20-page filing's whole extraction, paid again in
every child when the fork server had only imported the modules.
"""
from __future__ import annotations

from .profiles import load_profiles

load_profiles()
