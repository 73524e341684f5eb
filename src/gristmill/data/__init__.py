"""Datasets: sources, the store, queries, curation and export."""
