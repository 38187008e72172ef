"""Ready-made scenarios from the documentation, created in one call (``POST /_emulator/seeds/<name>``)."""

from emulator.seeds import blueberries_and_cherries

SEEDS = {blueberries_and_cherries.NAME: blueberries_and_cherries.seed}
