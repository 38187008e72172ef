"""Cloud integrations: which buckets of which provider the platform may read (and write) for whom."""
