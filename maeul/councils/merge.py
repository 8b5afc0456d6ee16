"""The household merge, the part of councils: councils alone writes its tables, so it moves its
own rows when two records of one household are merged (`people.registry.households_merge` finds
this module through the installed apps) and sends them back on undo.

Council case reviews of the merged record go to the kept one: every foreign key of councils's
tables to a household, so a table added later moves too. A row a household may hold only once
(a unique constraint) makes the database refuse the move, and the whole merge with it."""

from maeul.people.merging import OwnRows

_rows = OwnRows("councils")
move_household = _rows.move_household
undo = _rows.undo
