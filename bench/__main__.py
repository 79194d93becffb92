"""`python -m bench`: generate data, serve both faces with gunicorn, drive the pages, report."""

import sys

from bench.run import main

if __name__ == "__main__":
    sys.exit(main())
