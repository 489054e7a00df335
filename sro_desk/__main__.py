import sys

from sro_desk import cli

sys.exit(cli.main())
