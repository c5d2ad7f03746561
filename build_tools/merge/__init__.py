"""``dicomsup merge``: a supplement applied to the standard's DocBook parts, as the editor does at incorporation.

:mod:`~build_tools.merge.fragments` renders the change text's nodes as DocBook elements, :mod:`~build_tools.merge.apply`
puts them into one part (rows into tables, new sections after their preceding sibling, annexes as chapters,
amended paragraphs and terms in place), marking a "with changes" copy with ``revisionflag``, and
:mod:`~build_tools.merge.run` reads the parts of a folder and writes both copies of each, atomically.
"""
