"""outputs: everything ``dicomsup build`` writes, one :class:`~build_tools.outputs.base.Output` per module, listed
in :mod:`build_tools.outputs.registry`. No output imports another; what they share is in :mod:`.base` or below."""
