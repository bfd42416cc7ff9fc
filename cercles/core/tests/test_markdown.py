from hypothesis import given
from hypothesis import strategies as st

from cercles.core.markdown import render_markdown


def test_markdown_renders_emphasis_and_links():
    html = render_markdown("**gras** et [site](https://example.org)")
    assert "<strong>gras</strong>" in html
    assert 'href="https://example.org"' in html
    assert "nofollow" in html


def test_raw_html_is_escaped_not_executed():
    html = render_markdown("<script>alert(1)</script><img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_link_schemes_are_removed():
    for link in ("javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "JaVaScRiPt:x"):
        html = render_markdown(f'[clic]({link}) <a href="{link}">b</a>')
        assert "<a " not in html  # shown as inert text, never as a link


@given(st.text(max_size=300))
def test_no_input_produces_active_content(text):
    html = render_markdown(text + " <script>x</script> [a](javascript:b) <a onclick=x>")
    lowered = html.lower()
    assert "<script" not in lowered
    assert 'href="javascript' not in lowered
    assert "<a onclick" not in lowered


def test_a_text_rendered_again_comes_from_the_cache_and_long_texts_are_not_kept():
    from cercles.core import markdown

    text = "Un compte rendu **déjà lu** par tout le cercle."
    first = render_markdown(text)
    hits = markdown._rendered.cache_info().hits
    assert render_markdown(text) == first
    assert markdown._rendered.cache_info().hits == hits + 1

    long_text = "mot " * (markdown.CACHED_TEXT_MAX // 4 + 1)
    size = markdown._rendered.cache_info().currsize
    assert render_markdown(long_text).startswith("<p>mot")
    assert markdown._rendered.cache_info().currsize == size
