"""Toolkit for the rare-earth supply-chain data package: validate, build, query, document."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rareearths")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
