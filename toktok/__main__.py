import sys

from toktok.cli import main

sys.exit(main())
