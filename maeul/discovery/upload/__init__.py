"""Import of a high-risk list (the Ministry's crisis-signal list, or a hub's own survey list) as
CSV or XLSX. Columns and formats: docs/high-risk-list.md.

The whole file is read (`read`) and checked (`check`) before anything is written; a file with
any bad row saves nothing and every bad row is reported with its row number (the spreadsheet's:
the header is row 1). A good file is written (`write`) through the bulk builders of `people`
and `discovery`: households (with their address key), head residents (name key, encrypted
registration number and blind index), leads, and the HOUSEHOLD_REGISTERED / LEAD_MATCHED /
LEAD_REGISTERED timeline events — the rows `lead_register` would write.
"""

from maeul.discovery.upload.check import UploadRow, parse_upload
from maeul.discovery.upload.read import RowError, UploadInvalid, read_table
from maeul.discovery.upload.write import upload_import

__all__ = ["RowError", "UploadInvalid", "UploadRow", "parse_upload", "read_table", "upload_import"]
