"""SRO Desk: the school safety and security staff program office, on one laptop."""

__version__ = "0.1.0"
