from django.template import Context, Template

from langso.lib.masking import mask_id


def test_mask_id_keeps_only_the_last_three_digits():
    assert mask_id("001203004567") == "*********567"


def test_mask_id_of_nothing_is_empty():
    assert mask_id(None) == ""
    assert mask_id("") == ""


def test_templates_mask_the_same_way():
    rendered = Template("{% load langso %}{{ n|mask_id }}").render(Context({"n": "079123456"}))
    assert rendered == "******456"
