"""`python -m pingjian.cli …` runs the same command as the `pingjian` script."""

from pingjian.cli import main

main()
