"""Cloud ingestion: upload jobs that read media from the integration's buckets."""
