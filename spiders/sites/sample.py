from spiders.base import ProfileSpider


class SampleSpider(ProfileSpider):
    """The demo portal (demo/); run with `-a start_url=` since its port varies."""

    name = "sample"
    profile_name = "sample"
