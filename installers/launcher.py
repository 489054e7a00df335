"""Entry point of the frozen SRO Desk: PyInstaller runs this file as ``__main__``.

It is a separate file (not ``sro_desk/__main__.py``) so that PyInstaller does not put the package
folder itself on the module search path.
"""

import sys

from sro_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
