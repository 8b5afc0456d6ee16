"""Outreach campaigns: target lists from the registry, outcomes per household, screening instruments, the funnel; the safety-net roster and care check-ins."""
