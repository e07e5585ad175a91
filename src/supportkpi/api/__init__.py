"""The Python API of a whole run, as the command line does it: kpi.yaml, inputs, verbs.

>>> from supportkpi.api import Run
>>> run = Run.from_config(None, tz="UTC").add_inputs(["tickets.csv"], source="zendesk")
>>> [spec.files for spec in run.specs]
[('tickets.csv',)]
"""

from supportkpi.api.listener import Listener
from supportkpi.api.planning import staffing_from_numbers
from supportkpi.api.run import CheckReport, Run

__all__ = ["CheckReport", "Listener", "Run", "staffing_from_numbers"]
