from spiders.base import ProfileSpider


class JianganSpider(ProfileSpider):
    """武汉市江岸区 (420102). Listing markup unverified; see the profile."""

    name = "jiangan"
    profile_name = "jiangan"
