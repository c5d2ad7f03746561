"""dicomsup: author a DICOM Supplement once in YAML, publish it as DocBook, HTML, dictionaries and examples."""

__version__ = "0.1.0"
