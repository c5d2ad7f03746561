"""The supplement folders of a ``spec/`` folder, found without loading any (so without the loader's imports)."""

from __future__ import annotations

from pathlib import Path

from build_tools.core.errors import Finding, InputError, Loc, relative


def discover(spec_root: Path) -> list[Path]:
    """Every supplement folder of ``spec_root``: sub-folders holding a ``supplement.yaml``."""
    if not spec_root.is_dir():
        raise InputError([Finding(Loc(relative(spec_root)), "no such folder; expected the spec/ folder of "
                                                            "supplements (run from the project root or pass --spec)",
                                  code="DS012")])
    return sorted(p for p in spec_root.iterdir() if p.is_dir() and (p / "supplement.yaml").is_file())


def supplement_folders(spec_root: Path, supplement: str | None) -> list[Path]:
    """The folders a command's ``--supplement`` (a folder, or a name under ``spec_root``) names: that one, or,
    without it, every supplement folder of ``spec_root`` (which may be none)."""
    if not supplement:
        return discover(spec_root)
    folder = Path(supplement)
    if not folder.is_dir():
        folder = spec_root / supplement
    if not folder.is_dir():
        raise InputError([Finding(Loc(str(folder)), "no such supplement folder", code="DS010")])
    return [folder]
