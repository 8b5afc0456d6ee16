"""Proving and planning the delivery system: indicator series, difference-in-differences effects, what-if, hub models, staffing, reports."""
