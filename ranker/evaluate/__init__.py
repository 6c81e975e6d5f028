"""Offline evaluation: named protocols, baselines, WhisperLite variants, ranx metrics, report."""
