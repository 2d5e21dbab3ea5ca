"""Reading leads files and writing ranked ones.

>>> from leadscore.io import read_table  # doctest: +SKIP
>>> leads = read_table(["leads.csv"]).frame.collect()  # doctest: +SKIP
"""

from leadscore.io.readers import ReadOptions, ReadResult, read_table

__all__ = ["ReadOptions", "ReadResult", "read_table"]
