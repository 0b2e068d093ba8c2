"""Editions of one report (standard, print, archive): their CSS, PDF options,
finishers and steps run on the written file.
"""
