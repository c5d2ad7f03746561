"""pydicom without its optional pixel, image and download back ends, for a process that only verifies.

``import pydicom`` imports its pixel data handlers (``pydicom.config`` does), and they import numpy, Pillow and
requests when these are installed: 0.2-0.3 s of the 0.35-0.5 s the import takes, which is most of what a
``dicomsup verify`` of a few files waits for. Verifying never decodes pixels nor downloads (the Pixel Data are
checked by their length), so a process started for ``verify`` hides them while pydicom is imported: pydicom takes
them as not installed, as it is written to (each is imported in a ``try``). They are not hidden afterwards, and
a process that already imported pydicom (a test run, a build) is left as it is.
"""

from __future__ import annotations

import sys

#: The optional packages pydicom imports at its import for pixel handling (numpy, Pillow) and data downloads.
HIDDEN = ("numpy", "PIL", "requests")


def import_pydicom_lean() -> bool:
    """Import pydicom with :data:`HIDDEN` hidden, unless it is imported already; whether it was imported lean.

    Should a pydicom need one of them after all (an ImportError), it is imported again, normally.
    """
    if "pydicom" in sys.modules:
        return False
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None makes `import name` raise ImportError
    try:
        import pydicom.filereader  # noqa: F401  (what verify reads with)
        lean = True
    except ImportError:
        lean = False
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    if not lean:
        for name in [m for m in sys.modules if m == "pydicom" or m.startswith("pydicom.")]:
            del sys.modules[name]
        import pydicom.filereader  # noqa: F401,F811
    return lean
