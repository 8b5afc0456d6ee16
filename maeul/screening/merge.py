"""The household merge, the part of screening: screening alone writes its tables, so it moves its
own rows when two records of one household are merged (`people.registry.households_merge` finds
this module through the installed apps) and sends them back on undo.

Crisis signals, screening outcomes and places on screening lists of the merged record go to the
kept one: every foreign key of screening's tables to a household, so a table added later moves
too."""

from maeul.people.merging import OwnRows

_rows = OwnRows("screening")
move_household = _rows.move_household
undo = _rows.undo
