"""The household merge, the part of benefits: benefits alone writes its tables, so it moves its
own rows when two records of one household are merged (`people.registry.households_merge` finds
this module through the installed apps) and sends them back on undo.

Means records, the household's situation and support obligors of the merged record go to the
kept one: every foreign key of benefits's tables to a household, so a table added later moves
too."""

from maeul.people.merging import OwnRows

_rows = OwnRows("benefits")
move_household = _rows.move_household
undo = _rows.undo
