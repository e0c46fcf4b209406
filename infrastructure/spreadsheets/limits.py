"""What reading one uploaded spreadsheet may cost, whatever the file says of itself. An XLSX file is a
zip archive of XML parts: each limit below stops a way of making a small upload costly to read."""

from application.intake.tables import MAX_ROWS

MAX_FILE_BYTES = 16 * 1024 * 1024  # a spreadsheet of 20,000 rows, as uploaded
HEADER_SEARCH = 20  # the header row is one of the first 20 filled rows (a title may stand above the table)
MAX_FILLED_ROWS = MAX_ROWS + HEADER_SEARCH
MAX_COLUMNS = 100  # cells further right are not read (a matrix needs a dozen columns)
EMPTY_RUN = 1_000  # this many empty rows in a row end the table: a sheet's declared range is never trusted
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell

MAX_PARTS = 1_000  # an XLSX of one sheet holds a dozen parts; one of many sheets, a few hundred
MAX_PART_BYTES = 128 * 1024 * 1024  # one part, inflated
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # all parts, inflated
MAX_RATIO = 100  # inflated size over compressed size, for parts over RATIO_FROM bytes; real sheets stay under 30
RATIO_FROM = 1024 * 1024
MAX_SHARED_STRINGS = 25 * MAX_ROWS  # distinct texts of a workbook: 25 per row

# The process that reads a file: what it may use before it is stopped.
READER_CPU_SECONDS = 30
READER_MEMORY_BYTES = 1024 * 1024 * 1024  # address space, libraries included
READER_WALL_SECONDS = 60.0
