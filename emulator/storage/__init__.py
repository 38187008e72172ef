"""Storage folders and the items registered into them."""
