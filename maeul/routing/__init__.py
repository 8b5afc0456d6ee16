"""Daily rounds: each staff member's visits for a day or a week, optimised with PyVRP, on a map."""
