"""Row-level and schema diffs between two versions of a package, and the version bump they need."""
