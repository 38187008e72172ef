"""DICOM de-identification: files of an integration's buckets, their PHI tags removed, written next to them."""
