"""Handing conversations over to INFO.OPT's consultants: queue, claims, transcripts, tickets."""
