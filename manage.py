#!/usr/bin/env python
"""Django's usual entry point; `motcua` (the console script) does the same."""

import sys

from motcua.cli import main

if __name__ == "__main__":
    main(sys.argv)
