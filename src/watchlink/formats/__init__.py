"""Interchange formats (layer L0, pure): text and dicts to and from :class:`Subject`.

Each reader streams ``(line number, Subject | list[InputProblem])`` so that a caller
can import nothing when any line is bad, and say exactly which lines and fields.
"""

from watchlink.formats.csv_layout import read_csv_rows, subject_to_row, write_csv
from watchlink.formats.ftm import read_ftm_lines, subject_from_ftm, subject_to_ftm, write_ftm_lines
from watchlink.formats.ofac import read_ofac

__all__ = [
    "read_csv_rows",
    "read_ftm_lines",
    "read_ofac",
    "subject_from_ftm",
    "subject_to_ftm",
    "subject_to_row",
    "write_csv",
    "write_ftm_lines",
]
