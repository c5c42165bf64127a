"""`python -m compliance`: the command line."""

from compliance.cli.main import main

main()
