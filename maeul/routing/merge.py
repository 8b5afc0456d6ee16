"""The household merge, the part of routing: routing alone writes its tables, so it moves its own
rows when two records of one household are merged (`people.registry.households_merge` finds
this module through the installed apps) and sends them back on undo.

The stops of planned rounds (and any table of routing's that names a household) of the merged
record go to the kept one: every foreign key of routing's tables to a household, so a table
added later moves too. A row a household may hold only once (a unique constraint) makes the
database refuse the move, and the whole merge with it."""

from maeul.people.merging import OwnRows

_rows = OwnRows("routing")
move_household = _rows.move_household
undo = _rows.undo
