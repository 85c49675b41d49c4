import pytest
from django.template import Context, Template

from tickets.richtext import clean_html


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<p style="display:none">hidden</p>', "style="),
        ('<p class="d-none">hidden</p>', "class="),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("<svg><script>alert(1)</script></svg>", "<script"),
        ("<style>p{display:none}</style><p>x</p>", "<style"),
    ],
)
def test_dangerous_markup_is_removed(dirty, forbidden):
    assert forbidden not in clean_html(dirty).lower()


def test_safe_formatting_is_kept():
    html = "<p><strong>NIB</strong> <em>1234567890123</em></p><ul><li>a</li></ul>"
    assert clean_html(html) == html


def test_links_are_kept_and_made_safe():
    cleaned = clean_html('<a href="https://oss.go.id">OSS</a>')
    assert 'href="https://oss.go.id"' in cleaned and "noopener" in cleaned


def test_unicode_and_emoji_survive():
    assert clean_html("<p>Pelaku usaha 😀 — ÄÖÜ 中文</p>") == "<p>Pelaku usaha 😀 — ÄÖÜ 中文</p>"


def test_the_display_filter_cleans_stored_text():
    template = Template("{% load estim %}{{ value|rich_text }}")
    out = template.render(Context({"value": "<b>ok</b><script>x()</script>"}))
    assert out == "<b>ok</b>"
