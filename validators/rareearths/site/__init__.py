"""Generate the documentation site's Markdown and images from the data package itself.

Every page under `docs/generated/` is rebuilt from `datapackage.json`, the Table Schemas and the
CSVs, so the site cannot drift from the data. `generate.generate(root)` is the entry point.
"""
