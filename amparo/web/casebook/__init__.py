"""The casebook on the site: local mode, one process holding the key, every page behind the unlock."""
