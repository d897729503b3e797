"""The controllable clock lives in the library (``course_lib.clock``); re-exported for the simulator."""

from course_lib.clock import Clock

__all__ = ["Clock"]
