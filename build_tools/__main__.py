"""``python -m build_tools`` runs the ``dicomsup`` command."""

import sys

from build_tools.commands.main import main

sys.exit(main())
