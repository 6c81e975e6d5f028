"""Readers of public interaction data into one table (`Dataset`), and a semi-synthetic fashion set."""

from ranker.datasets.table import Dataset, Problem

__all__ = ["Dataset", "Problem"]
