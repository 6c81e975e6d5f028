"""Simulated shoppers: one `Taste` over a catalogue's attributes, one simulator of a shopper's history and
requests. The demo model (`ranker.demo`) and the semi-synthetic evaluation set
(`ranker.datasets.semi_synthetic`) draw their populations with it; every result on their data is simulated."""
