"""A stand-in for the ``keisei`` package, used ONLY by the test of the wrapper's config check.

Today's Keisei needs its Rust engine and PyTorch, which cannot be installed on the test machines,
so the test puts this package first on PYTHONPATH to make ``keisei.config.load_config`` importable
and failing the way Keisei's loader fails on a bad TOML file (a ValueError naming the bad keys).
"""
