"""Imported by the extraction fork server (isolate.py) before it forks any child: does once
what every extraction would otherwise do first, so each child starts with it done. Nothing
else imports it: it freezes the garbage collector of the process that does.

- The template profiles (extractors/profiles/*.yaml, their title patterns and markers compiled)
  cost ~50 ms of CPU to load: a tenth of a 20-page filing's whole extraction.
- One trusted filing is extracted here (extractors/warmup/). Reading it compiles the ~130
  regular expressions the readers build at call time, fills the module caches and imports
  what is imported lazily; a child forked from an unwarmed server paid that again for every
  document (~35 ms of a ~150 ms filing, measured on the sample district's PDFs).
- Then the server's objects are moved out of the garbage collector's sight (gc.freeze): a
  child's collections no longer walk, and so copy, the memory pages of every inherited object.
"""
from __future__ import annotations

import gc

from .profiles import load_profiles
from .warmup import warm_up

load_profiles()
warm_up()
gc.collect()
gc.freeze()
