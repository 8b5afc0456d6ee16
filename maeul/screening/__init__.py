"""Blind-spot screening: crisis signals, features, the rule and the model, ranked and explained lists that become leads."""
