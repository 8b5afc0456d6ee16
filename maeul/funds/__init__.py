"""Money and goods: donations, the private welfare fund ledger, disbursements tied to linkages, one-to-one sponsorships."""
