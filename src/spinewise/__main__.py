"""Allow ``python -m spinewise`` as well as the ``spinewise`` script."""

from spinewise.cli import main

main()
