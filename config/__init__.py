import os

# One BLAS thread per process: the web and Celery workers already run one per core, and the sentence encoder's
# small products only pay thread hand-offs for a second BLAS thread (the similar-plans hint's p95 doubles).
# Set before numpy is first imported; an operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# Importing the Celery app here makes @shared_task use it in every process (web, worker, tests).
from .celery_app import app as celery_app  # noqa: E402 - after the thread limits, which must precede numpy

__all__ = ("celery_app",)
