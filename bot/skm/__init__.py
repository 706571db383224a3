"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): the questionnaire's structure and the IKM arithmetic."""
