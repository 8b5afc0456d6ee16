"""The CSSC perception survey (seed 000, KIHASA 2022-15): the instrument, the weighted analysis
and the files analysts exchange. `analysis` and `files` are pure (no database)."""
