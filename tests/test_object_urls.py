"""Object URLs in every form users write resolve to a bucket and key of the emulator's buckets."""

import pytest

from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url


@pytest.mark.parametrize("url, bucket, key, style", [
    ("s3://fruit/images/cherry_001.png", "fruit", "images/cherry_001.png", "s3"),
    ("https://fruit.s3.amazonaws.com/a/b.png", "fruit", "a/b.png", "s3-virtual-hosted"),
    ("https://fruit.s3.eu-west-1.amazonaws.com/a.png", "fruit", "a.png", "s3-virtual-hosted"),
    ("https://fruit.s3-eu-west-1.amazonaws.com/a.png", "fruit", "a.png", "s3-virtual-hosted"),
    ("https://s3.amazonaws.com/fruit/a.png", "fruit", "a.png", "s3-path"),
    ("https://s3.eu-west-1.amazonaws.com/fruit/deep/a.png", "fruit", "deep/a.png", "s3-path"),
    ("https://encord-bucket.obs.eu-de.otc.t-systems.com/0001.jpg", "encord-bucket", "0001.jpg", "otc-virtual-hosted"),
    ("https://obs.eu-de.otc.t-systems.com/encord-bucket/0001.jpg", "encord-bucket", "0001.jpg", "otc-path"),
    ("gs://fruit/a.png", "fruit", "a.png", "gcs"),
    ("https://storage.googleapis.com/fruit/a.png", "fruit", "a.png", "gcs-https"),
    ("https://storage.cloud.google.com/fruit/a.png", "fruit", "a.png", "gcs-https"),
    ("https://fruit.storage.googleapis.com/a.png", "fruit", "a.png", "gcs-virtual-hosted"),
    ("https://account.blob.core.windows.net/container/dir/blob.png", "container", "dir/blob.png", "azure-blob"),
    ("https://s3.eu-central-1.wasabisys.com/fruit/a.png", "fruit", "a.png", "wasabi"),
    ("https://s3.wasabisys.com/fruit/a.png", "fruit", "a.png", "wasabi"),
    ("https://fruit.s3.eu-central-1.wasabisys.com/a.png", "fruit", "a.png", "wasabi"),
    ("https://fruit.s3.wasabisys.com/a.png", "fruit", "a.png", "wasabi"),
    ("https://fruit.s3.dualstack.eu-west-1.amazonaws.com/a.png", "fruit", "a.png", "s3-virtual-hosted"),
    ("https://my.fruit.s3.eu-west-1.amazonaws.com/a.png", "my.fruit", "a.png", "s3-virtual-hosted"),
    ("https://s3.dualstack.eu-west-1.amazonaws.com/fruit/a.png", "fruit", "a.png", "s3-path"),
    ("https://encord-bucket.obs.otc.t-systems.com/0001.jpg", "encord-bucket", "0001.jpg", "otc-virtual-hosted"),
    ("https://obs.otc.t-systems.com/encord-bucket/0001.jpg", "encord-bucket", "0001.jpg", "otc-path"),
    ("http://minio.local:9000/fruit/a.png", "fruit", "a.png", "path-style"),
    ("https://encord-bucket.obs.eu-de.otc.t-systems.com/DALL%C2%B7E+2022.png", "encord-bucket", "DALL·E+2022.png",
     "otc-virtual-hosted"),
    ("https://fruit.s3.amazonaws.com/a.png?X-Amz-Signature=abc", "fruit", "a.png", "s3-virtual-hosted"),
])
def test_every_form_resolves(url, bucket, key, style):
    location = resolve_object_url(url)
    assert (location.bucket, location.key, location.style, location.url) == (bucket, key, style, url)


@pytest.mark.parametrize("url, message", [
    ("s3://fruit/a b.png", "The object URL 's3://fruit/a b.png' contains whitespace."),
    ("<https://fruit.s3.amazonaws.com/a.png", "The object URL <https://fruit.s3.amazonaws.com/a.png is wrapped in angle "
                                               "brackets; remove the < and >."),
    ("file/path/to/videos/video-002.mp4",
     "The object URL file/path/to/videos/video-002.mp4 is not an s3://, gs:// or http(s):// URL of an object."),
    ("ftp://fruit/a.png", "The object URL ftp://fruit/a.png is not an s3://, gs:// or http(s):// URL of an object."),
    ("s3://fruit/", "The object URL s3://fruit/ names no object in bucket 'fruit'."),
    ("https://s3.amazonaws.com/", "The object URL https://s3.amazonaws.com/ names no bucket."),
])
def test_unparseable_urls_are_refused_naming_the_url(url, message):
    with pytest.raises(UnparseableObjectUrl) as e:
        resolve_object_url(url)
    assert str(e.value) == message
