from spiders.base import ProfileSpider


class HuangpiSpider(ProfileSpider):
    """武汉市黄陂区 (420116). Listing markup unverified; see the profile."""

    name = "huangpi"
    profile_name = "huangpi"
