"""The fake cloud buckets integrations read from: moto's S3, always through boto3."""
