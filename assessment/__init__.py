"""Scoring engine (rules -> indicator values -> scores); built by the assessment issue."""
