"""Open what a user points at (descriptor, zip, or CSV plus schema); generic to any Table Schema package."""
