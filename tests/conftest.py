"""Settings shared by every test module."""

from hypothesis import settings

# Speed is measured by the benchmarks, never asserted by a test: hypothesis' per-example deadline
# (200 ms by default) is such an assertion, and it failed on a busy machine.
settings.register_profile("supportkpi", deadline=None)
settings.load_profile("supportkpi")
