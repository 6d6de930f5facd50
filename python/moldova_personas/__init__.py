"""moldova-personas: census-grounded synthetic personas of the Republic of Moldova."""

__version__ = "0.1.0"
