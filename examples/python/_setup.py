"""Lets the examples run from a checkout without `pip install -e bindings/python`."""
import sys
from pathlib import Path

try:
    import kubeclient  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python"))
