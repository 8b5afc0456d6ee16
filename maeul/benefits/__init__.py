"""Public benefits: eligibility rules (OpenFisca, in ``rules``) and, later, the linkage pages."""
