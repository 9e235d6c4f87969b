from spiders.base import ProfileSpider


class QiaokouSpider(ProfileSpider):
    """武汉市硚口区 (420104). Its column address is unverified; see the profile."""

    name = "qiaokou"
    profile_name = "qiaokou"
