//! Main-text extraction from a saved news page.
//!
//! The page is parsed by `scraper` (html5ever, the browsers' parsing algorithm, so broken markup
//! is repaired the way a browser would). The article is the `article`, `[itemprop=articleBody]`,
//! `main` or `[role=main]` element with the most paragraph text, else `body`. Inside it, these
//! are dropped:
//! - elements that are never text: scripts, styles, navigation, headers, footers, asides,
//!   forms, buttons, frames, media;
//! - elements whose `class` or `id` has a word of the `class` rows of
//!   `data/ingest/boilerplate.tsv` (share buttons, comments, related lists, embedded posts);
//! - a block whose whole text is a `heading` row («مقالات ذات صلة»), with the link lists that
//!   follow it; a short block that starts with a `prefix` row («اقرأ أيضاً: …»);
//! - any list or box whose text is mostly links (menus, tag clouds, related links).
//!
//! Block elements end a line, so the text keeps the page's paragraphs, one per line.
//! The title, publication time, canonical URL and site name come from the `<head>`.
//!
//! Known limit: a site that puts its article in `div`s with no semantic element or class
//! gets the whole body, minus the parts above.

use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use crate::boilerplate::Boilerplate;

/// What the reader keeps of a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlPage {
    /// The headline (`og:title`, `<title>` or the first `<h1>`).
    pub title: Option<String>,
    /// The article's text, one paragraph per line.
    pub text: String,
    /// The publication time as the page gives it.
    pub published: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// The site's name.
    pub site_name: Option<String>,
}

const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "select", "input", "textarea", "figure", "object", "embed", "video",
    "audio", "canvas", "menu", "dialog", "head", "link", "meta",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "br",
    "tr",
    "table",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "hr",
    "body",
    "td",
    "th",
];

const HEADING_LIKE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "section",
];

fn selector(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn first_attr(doc: &Html, selectors: &[(&str, &str)]) -> Option<String> {
    for (sel, attr) in selectors {
        let Some(sel) = selector(sel) else { continue };
        for el in doc.select(&sel) {
            if let Some(v) = el.value().attr(attr) {
                let v = v.trim();
                if !v.is_empty() {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

fn first_text(doc: &Html, sel: &str) -> Option<String> {
    let sel = selector(sel)?;
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Extracts the article of a whole HTML page.
///
/// # Examples
/// ```
/// let page = rasd_ingest::html::extract(
///     "<html><head><title>قصف</title></head><body><nav>الرئيسية</nav>\
///      <article><p>قصف مدفعي على بلدة.</p></article></body></html>",
///     &rasd_ingest::Boilerplate::builtin(),
/// );
/// assert_eq!(page.text, "قصف مدفعي على بلدة.");
/// assert_eq!(page.title.as_deref(), Some("قصف"));
/// ```
pub fn extract(html: &str, boilerplate: &Boilerplate) -> HtmlPage {
    let doc = Html::parse_document(html);
    let title = first_attr(&doc, &[("meta[property=\"og:title\"]", "content")])
        .map(|t| collapse(&t))
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"));
    let published = first_attr(
        &doc,
        &[
            ("meta[property=\"article:published_time\"]", "content"),
            ("meta[itemprop=\"datePublished\"]", "content"),
            ("meta[name=\"pubdate\"]", "content"),
            ("meta[name=\"publishdate\"]", "content"),
            ("meta[name=\"date\"]", "content"),
            ("meta[name=\"dc.date\"]", "content"),
            ("time[datetime]", "datetime"),
        ],
    );
    let url = first_attr(
        &doc,
        &[
            ("link[rel=\"canonical\"]", "href"),
            ("meta[property=\"og:url\"]", "content"),
        ],
    );
    let site_name = first_attr(
        &doc,
        &[
            ("meta[property=\"og:site_name\"]", "content"),
            ("meta[name=\"application-name\"]", "content"),
        ],
    );
    let root = article_root(&doc);
    let text = match root {
        Some(root) => element_text(root, boilerplate),
        None => String::new(),
    };
    HtmlPage {
        title,
        text,
        published,
        url,
        site_name,
    }
}

/// Extracts the text of an HTML fragment (a feed item's content).
pub fn fragment_text(html: &str, boilerplate: &Boilerplate) -> String {
    let doc = Html::parse_fragment(html);
    element_text(doc.root_element(), boilerplate)
}

fn paragraph_chars(el: ElementRef<'_>) -> usize {
    let Some(p) = selector("p") else { return 0 };
    el.select(&p)
        .map(|p| p.text().map(str::len).sum::<usize>())
        .sum()
}

fn article_root(doc: &Html) -> Option<ElementRef<'_>> {
    let candidates = selector("article, [itemprop=\"articleBody\"], main, [role=\"main\"]")?;
    let best = doc
        .select(&candidates)
        .map(|el| (paragraph_chars(el), el))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, el)| el);
    best.or_else(|| selector("body").and_then(|b| doc.select(&b).next()))
        .or_else(|| Some(doc.root_element()))
}

struct Walker<'b> {
    boilerplate: &'b Boilerplate,
    out: String,
}

impl Walker<'_> {
    fn newline(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn push_text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                    self.out.push(' ');
                }
            } else {
                self.out.push(c);
            }
        }
    }

    fn walk(&mut self, el: ElementRef<'_>) {
        let mut skip_lists = false;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    skip_lists = false;
                    self.push_text(t);
                }
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = child.value().name();
                    if skip_lists {
                        if link_density(child) >= 0.5 || child_text_len(child) == 0 {
                            continue;
                        }
                        skip_lists = false;
                    }
                    match self.verdict(child) {
                        Verdict::Drop => continue,
                        Verdict::DropSection => {
                            skip_lists = true;
                            continue;
                        }
                        Verdict::Keep => {}
                    }
                    let block = BLOCK_TAGS.contains(&name);
                    if block {
                        self.newline();
                    }
                    if name == "br" || name == "hr" {
                        continue;
                    }
                    self.walk(child);
                    if block {
                        self.newline();
                    }
                }
                _ => {}
            }
        }
    }

    fn verdict(&self, el: ElementRef<'_>) -> Verdict {
        let v = el.value();
        let name = v.name();
        if SKIP_TAGS.contains(&name) {
            return Verdict::Drop;
        }
        if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
            return Verdict::Drop;
        }
        for attr in ["class", "id"] {
            if let Some(value) = v.attr(attr) {
                if self.boilerplate.is_furniture_class(value) {
                    return Verdict::Drop;
                }
            }
        }
        if HEADING_LIKE.contains(&name) {
            let text = collapse(&el.text().collect::<String>());
            if !text.is_empty() && text.chars().count() <= 80 {
                if self.boilerplate.is_section_heading(&text) {
                    return Verdict::DropSection;
                }
                if self.boilerplate.starts_with_prefix(&text) {
                    return Verdict::Drop;
                }
            }
        }
        if matches!(name, "ul" | "ol" | "div" | "section" | "table" | "dl")
            && link_count(el) >= 2
            && link_density(el) >= 0.7
        {
            return Verdict::Drop;
        }
        Verdict::Keep
    }
}

enum Verdict {
    Keep,
    Drop,
    DropSection,
}

fn child_text_len(el: ElementRef<'_>) -> usize {
    el.text().map(|t| t.trim().len()).sum()
}

fn link_count(el: ElementRef<'_>) -> usize {
    selector("a").map_or(0, |a| el.select(&a).count())
}

/// The share of an element's text that is inside links.
fn link_density(el: ElementRef<'_>) -> f64 {
    let total = child_text_len(el);
    if total == 0 {
        return 0.0;
    }
    let links: usize = selector("a").map_or(0, |a| {
        el.select(&a)
            .map(|l| l.text().map(|t| t.trim().len()).sum::<usize>())
            .sum()
    });
    links as f64 / total as f64
}

fn element_text(root: ElementRef<'_>, boilerplate: &Boilerplate) -> String {
    let mut w = Walker {
        boilerplate,
        out: String::new(),
    };
    w.walk(root);
    w.out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html, &Boilerplate::builtin()).text
    }

    #[test]
    fn keeps_paragraphs_and_drops_furniture() {
        let page = r#"<html><body>
            <header><a href="/">الرئيسية</a></header>
            <nav><ul><li><a href="/a">سياسة</a></li><li><a href="/b">اقتصاد</a></li></ul></nav>
            <article>
              <h1>عنوان الخبر</h1>
              <p>شهدت بلدة <b>الكرك</b> الشرقي اشتباكات عنيفة.</p>
              <div class="share-buttons"><a>فيسبوك</a><a>تويتر</a></div>
              <p>وأفاد ناشطون بسقوط قتيلين.</p>
              <blockquote class="twitter-tweet"><p>تغريدة مضمنة</p></blockquote>
              <p>اقرأ أيضاً: <a href="/x">خبر آخر</a></p>
              <h3>مقالات ذات صلة</h3>
              <ul><li><a href="/1">خبر أول</a></li><li><a href="/2">خبر ثان</a></li></ul>
            </article>
            <div id="comments"><p>تعليق زائر</p></div>
            <script>var x = "نص برمجي";</script>
            </body></html>"#;
        assert_eq!(
            text(page),
            "عنوان الخبر\nشهدت بلدة الكرك الشرقي اشتباكات عنيفة.\nوأفاد ناشطون بسقوط قتيلين."
        );
    }

    #[test]
    fn reads_the_head() {
        let page = r#"<html><head><title>خبر | موقع</title>
            <meta property="og:title" content=" قصف على  حماة ">
            <meta property="article:published_time" content="2024-12-06T09:30:00+03:00">
            <meta property="og:site_name" content="موقع الأخبار">
            <link rel="canonical" href="https://example.org/n/1"></head>
            <body><p>نص</p></body></html>"#;
        let p = extract(page, &Boilerplate::builtin());
        assert_eq!(p.title.as_deref(), Some("قصف على حماة"));
        assert_eq!(p.published.as_deref(), Some("2024-12-06T09:30:00+03:00"));
        assert_eq!(p.url.as_deref(), Some("https://example.org/n/1"));
        assert_eq!(p.site_name.as_deref(), Some("موقع الأخبار"));
        assert_eq!(p.text, "نص");
    }

    #[test]
    fn broken_markup_is_repaired_not_refused() {
        assert_eq!(
            text("<p>سطر أول<p>سطر <i>ثان</b> <div>ثالث"),
            "سطر أول\nسطر ثان\nثالث"
        );
    }

    #[test]
    fn picks_the_article_with_the_most_text() {
        let page = "<body><article><p>قصير</p></article>\
                    <article><p>هذا هو نص الخبر الطويل في الصفحة</p></article></body>";
        assert_eq!(text(page), "هذا هو نص الخبر الطويل في الصفحة");
    }

    #[test]
    fn inline_elements_do_not_split_words() {
        assert_eq!(
            text("<p>قوات<span>النظام</span> في <a>درعا</a>.</p>"),
            "قواتالنظام في درعا."
        );
    }
}
