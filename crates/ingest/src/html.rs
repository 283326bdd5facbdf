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

use std::collections::HashMap;

use ego_tree::NodeId;
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

/// The deepest nesting of elements a page or feed item may have. Browsers' parsing algorithm
/// (html5ever's) checks the open elements at each tag, so its time grows with the square of
/// the nesting; pages deeper than this are refused before parsing (real pages nest well under
/// a hundred deep).
pub const MAX_NESTING: usize = 512;

/// Elements that never hold others.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Whether a browser closes the open element `top` when `next` starts: a paragraph before a
/// block, a list item before the next, a cell or row before the next cell or row, and so on
/// (the HTML standard's implied end tags, enough to tell depth from a flat page).
fn closed_by(top: &str, next: &str) -> bool {
    match top {
        "p" => BLOCK_TAGS.contains(&next),
        "li" => next == "li",
        "dt" | "dd" => matches!(next, "dt" | "dd"),
        "td" | "th" => matches!(next, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot"),
        "tr" => matches!(next, "tr" | "tbody" | "thead" | "tfoot"),
        "tbody" | "thead" | "tfoot" => matches!(next, "tbody" | "thead" | "tfoot"),
        "option" => matches!(next, "option" | "optgroup"),
        "a" => next == "a",
        _ => false,
    }
}

/// Counts open elements as html5ever's tokenizer reports tags: an estimate of the tree's
/// depth that errs upwards, in one pass. (The tokenizer hands its sink `&self`, hence the
/// `RefCell`.)
struct DepthGauge {
    state: std::cell::RefCell<Depths>,
}

/// What [`DepthGauge`] keeps.
#[derive(Default)]
struct Depths {
    open: Vec<html5ever::LocalName>,
    counts: HashMap<html5ever::LocalName, usize>,
    deepest: usize,
}

impl Depths {
    fn pop(&mut self) {
        if let Some(name) = self.open.pop() {
            if let Some(n) = self.counts.get_mut(&name) {
                *n = n.saturating_sub(1);
            }
        }
    }
}

impl html5ever::tokenizer::TokenSink for DepthGauge {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        self.state.borrow_mut().process(token)
    }
}

impl Depths {
    fn process(
        &mut self,
        token: html5ever::tokenizer::Token,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::states::RawKind;
        use html5ever::tokenizer::{TagKind, Token, TokenSinkResult};
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name = tag.name;
        match tag.kind {
            TagKind::StartTag => {
                if VOID_TAGS.contains(&&*name) || tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                while self.open.last().is_some_and(|top| closed_by(top, &name)) {
                    self.pop();
                }
                *self.counts.entry(name.clone()).or_default() += 1;
                self.open.push(name.clone());
                self.deepest = self.deepest.max(self.open.len());
                match &*name {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                if self.counts.get(&name).copied().unwrap_or(0) > 0 {
                    while let Some(top) = self.open.last() {
                        let done = *top == name;
                        self.pop();
                        if done {
                            break;
                        }
                    }
                }
                TokenSinkResult::Continue
            }
        }
    }
}

/// An estimate of how deep `html`'s elements nest, in time linear in its length (the
/// tokenizer alone, no tree).
pub fn nesting_depth(html: &str) -> usize {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let gauge = DepthGauge {
        state: std::cell::RefCell::new(Depths::default()),
    };
    let tokenizer = Tokenizer::new(gauge, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let deepest = tokenizer.sink.state.borrow().deepest;
    deepest
}

/// A page or fragment nested deeper than [`MAX_NESTING`], refused before parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("elements nested {depth} deep, over the limit of {MAX_NESTING}")]
pub struct TooDeep {
    /// How deep the elements nest (an estimate that errs upwards).
    pub depth: usize,
}

fn check_depth(html: &str) -> Result<(), TooDeep> {
    match nesting_depth(html) {
        depth if depth > MAX_NESTING => Err(TooDeep { depth }),
        _ => Ok(()),
    }
}

/// Extracts the article of a whole HTML page.
///
/// # Errors
/// [`TooDeep`] when the page's elements nest deeper than [`MAX_NESTING`].
///
/// # Examples
/// ```
/// let page = rasd_ingest::html::extract(
///     "<html><head><title>قصف</title></head><body><nav>الرئيسية</nav>\
///      <article><p>قصف مدفعي على بلدة.</p></article></body></html>",
///     &rasd_ingest::Boilerplate::builtin(),
/// ).unwrap();
/// assert_eq!(page.text, "قصف مدفعي على بلدة.");
/// assert_eq!(page.title.as_deref(), Some("قصف"));
/// ```
pub fn extract(html: &str, boilerplate: &Boilerplate) -> Result<HtmlPage, TooDeep> {
    check_depth(html)?;
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
    let measured = Measured {
        measures: measure(&doc.tree),
    };
    let text = match article_root(&doc, &measured) {
        Some(root) => walk_text(measured, root, boilerplate).0,
        None => String::new(),
    };
    Ok(HtmlPage {
        title,
        text,
        published,
        url,
        site_name,
    })
}

/// Extracts the text of an HTML fragment (a feed item's content).
///
/// # Errors
/// [`TooDeep`] when the fragment's elements nest deeper than [`MAX_NESTING`].
pub fn fragment_text(html: &str, boilerplate: &Boilerplate) -> Result<String, TooDeep> {
    check_depth(html)?;
    let doc = Html::parse_fragment(html);
    let measured = Measured {
        measures: measure(&doc.tree),
    };
    Ok(walk_text(measured, doc.root_element(), boilerplate).0)
}

/// Text measures of one node's subtree, computed once for the whole page, children before
/// parents, so that no decision walks a subtree again: a page nested 100,000 deep is read in
/// time linear in its size.
#[derive(Clone, Debug, Default)]
struct Measures {
    /// Bytes of text.
    raw: usize,
    /// Bytes of text, each text node trimmed (what link density divides by).
    trimmed: usize,
    /// Bytes of trimmed text inside the links below the node.
    link_text: usize,
    /// Links below the node.
    links: usize,
    /// Bytes of text inside the paragraphs below the node.
    paragraph: usize,
    /// Characters that are not whitespace.
    visible: usize,
    /// The text with each run of whitespace folded to one space, kept only while it has at
    /// most [`SHORT_TEXT`] visible characters (enough to compare with the heading rows).
    short: Option<String>,
}

/// The most visible characters a block may have to be read as a section heading or a
/// «اقرأ أيضاً» line.
const SHORT_TEXT: usize = 80;

/// How deep the walker follows the page's structure. Below this depth an element's text is
/// kept as it stands, without judging its furniture, so the walker's own stack stays bounded
/// whatever the tree's nesting (a tree can come out deeper than [`MAX_NESTING`]'s estimate
/// when misnested tags are repaired).
pub const MAX_DEPTH: usize = 256;
const _: () = assert!(MAX_DEPTH < MAX_NESTING);

fn fold_spaces(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Measures every node of the tree in one pass, children first.
fn measure(tree: &ego_tree::Tree<Node>) -> HashMap<NodeId, Measures> {
    let order: Vec<_> = tree.root().descendants().collect();
    let mut all: HashMap<NodeId, Measures> = HashMap::with_capacity(order.len());
    for node in order.into_iter().rev() {
        let mut here = Measures {
            short: Some(String::new()),
            ..Measures::default()
        };
        if let Node::Text(t) = node.value() {
            here.raw = t.len();
            here.trimmed = t.trim().len();
            here.visible = t.chars().filter(|c| !c.is_whitespace()).count();
            here.short = (here.visible <= SHORT_TEXT).then(|| {
                let mut s = String::new();
                fold_spaces(&mut s, t);
                s
            });
        }
        for child in node.children() {
            let Some(c) = all.get(&child.id()) else {
                continue;
            };
            here.raw += c.raw;
            here.trimmed += c.trimmed;
            here.link_text += c.link_text;
            here.links += c.links;
            here.paragraph += c.paragraph;
            here.visible += c.visible;
            if let Node::Element(e) = child.value() {
                match e.name() {
                    "a" => {
                        here.links += 1;
                        here.link_text += c.trimmed;
                    }
                    "p" => here.paragraph += c.raw,
                    _ => {}
                }
            }
            here.short = match (here.short.take(), &c.short) {
                (Some(mut s), Some(cs)) if here.visible <= SHORT_TEXT => {
                    fold_spaces(&mut s, cs);
                    Some(s)
                }
                _ => None,
            };
        }
        all.insert(node.id(), here);
    }
    all
}

/// A page's tree with the measures of its nodes.
struct Measured {
    measures: HashMap<NodeId, Measures>,
}

impl Measured {
    fn of(&self, el: ElementRef<'_>) -> &Measures {
        static NONE: Measures = Measures {
            raw: 0,
            trimmed: 0,
            link_text: 0,
            links: 0,
            paragraph: 0,
            visible: 0,
            short: None,
        };
        self.measures.get(&el.id()).unwrap_or(&NONE)
    }

    /// The share of an element's text that is inside links.
    fn link_density(&self, el: ElementRef<'_>) -> f64 {
        let m = self.of(el);
        if m.trimmed == 0 {
            return 0.0;
        }
        m.link_text as f64 / m.trimmed as f64
    }
}

fn article_root<'a>(doc: &'a Html, measured: &Measured) -> Option<ElementRef<'a>> {
    let candidates = selector("article, [itemprop=\"articleBody\"], main, [role=\"main\"]")?;
    let best = doc
        .select(&candidates)
        .map(|el| (measured.of(el).paragraph, el))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, el)| el);
    best.or_else(|| selector("body").and_then(|b| doc.select(&b).next()))
        .or_else(|| Some(doc.root_element()))
}

struct Walker<'b> {
    boilerplate: &'b Boilerplate,
    measured: Measured,
    out: String,
    /// The deepest the walker's stack went (for tests of the depth cap).
    deepest: usize,
}

/// One open element on the walker's stack: its children still to visit, whether link lists
/// after a dropped section heading are being skipped, and whether it ends a line when closed.
struct Frame<'a> {
    next: Option<ego_tree::NodeRef<'a, Node>>,
    skip_lists: bool,
    block: bool,
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

    /// Walks `root`'s children in document order with an explicit stack of at most
    /// [`MAX_DEPTH`] frames.
    fn walk(&mut self, root: ElementRef<'_>) {
        let mut stack = vec![Frame {
            next: root.first_child(),
            skip_lists: false,
            block: false,
        }];
        while let Some(top) = stack.last_mut() {
            let Some(node) = top.next else {
                let done = stack.pop();
                if done.is_some_and(|f| f.block) {
                    self.newline();
                }
                continue;
            };
            top.next = node.next_sibling();
            match node.value() {
                Node::Text(t) => {
                    top.skip_lists = false;
                    self.push_text(t);
                }
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(node) else {
                        continue;
                    };
                    let name = child.value().name();
                    if top.skip_lists {
                        if self.measured.link_density(child) >= 0.5
                            || self.measured.of(child).trimmed == 0
                        {
                            continue;
                        }
                        top.skip_lists = false;
                    }
                    match self.verdict(child) {
                        Verdict::Drop => continue,
                        Verdict::DropSection => {
                            top.skip_lists = true;
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
                    if stack.len() >= MAX_DEPTH {
                        // Too deep to judge: the text as it stands, read iteratively.
                        for t in child.text() {
                            self.push_text(t);
                        }
                        if block {
                            self.newline();
                        }
                        continue;
                    }
                    stack.push(Frame {
                        next: child.first_child(),
                        skip_lists: false,
                        block,
                    });
                    self.deepest = self.deepest.max(stack.len());
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
        let m = self.measured.of(el);
        if HEADING_LIKE.contains(&name) {
            if let Some(short) = &m.short {
                let text = short.trim();
                if !text.is_empty() && text.chars().count() <= SHORT_TEXT {
                    if self.boilerplate.is_section_heading(text) {
                        return Verdict::DropSection;
                    }
                    if self.boilerplate.starts_with_prefix(text) {
                        return Verdict::Drop;
                    }
                }
            }
        }
        if matches!(name, "ul" | "ol" | "div" | "section" | "table" | "dl")
            && m.links >= 2
            && self.measured.link_density(el) >= 0.7
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

/// The text of `root` with its furniture dropped, and the deepest the walker's stack went.
fn walk_text(
    measured: Measured,
    root: ElementRef<'_>,
    boilerplate: &Boilerplate,
) -> (String, usize) {
    let mut w = Walker {
        boilerplate,
        measured,
        out: String::new(),
        deepest: 0,
    };
    w.walk(root);
    let text = w
        .out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    (text, w.deepest)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html, &Boilerplate::builtin()).unwrap().text
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
        let p = extract(page, &Boilerplate::builtin()).unwrap();
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

    fn nested(depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", "<div>".repeat(depth), "</div>".repeat(depth))
    }

    /// Issue 15, defect 1: a page nested thousands deep overflowed the recursive walker's stack
    /// and aborted the process. The walker's stack is now capped, and the text below the cap
    /// is still read.
    #[test]
    fn issue_15_deep_nesting_is_read_with_a_bounded_stack() {
        let page = nested(MAX_NESTING - 10, "<p>اشتباكات في البلدة</p>");
        let doc = Html::parse_document(&page);
        let measured = Measured {
            measures: measure(&doc.tree),
        };
        let (text, deepest) = walk_text(measured, doc.root_element(), &Boilerplate::builtin());
        assert_eq!(text, "اشتباكات في البلدة");
        assert!(deepest <= MAX_DEPTH, "stack {deepest}");
    }

    /// Issue 15, defects 1 and 2: deeper pages are refused before the (quadratic) parse, with
    /// the depth in the message.
    #[test]
    fn issue_15_pages_nested_too_deep_are_refused() {
        for depth in [4_000, 100_000] {
            let page = nested(depth, "<p>x</p>");
            let err = extract(&page, &Boilerplate::builtin()).unwrap_err();
            assert!(err.depth > MAX_NESTING, "{err}");
            let err = fragment_text(&page, &Boilerplate::builtin()).unwrap_err();
            assert!(err.to_string().contains("over the limit"), "{err}");
        }
    }

    /// The depth estimate follows how browsers close elements: unclosed paragraphs and list
    /// items, void elements and tags inside scripts do not add up.
    #[test]
    fn nesting_depth_is_not_fooled_by_flat_pages() {
        let flat = format!(
            "<html><body>{}{}<script>{}</script><ul>{}</ul><dl>{}</dl><table>{}</table>\
             <select>{}</select></body></html>",
            "<p>سطر".repeat(2000),
            "<br><img src=x>".repeat(2000),
            "document.write('<div>');".repeat(2000),
            "<li><p>بند".repeat(2000),
            "<dt>أ<dd>ب".repeat(2000),
            "<tr><td>أ<td><p>ب".repeat(2000),
            "<option>خيار".repeat(2000) + &"<a href=x>رابط".repeat(2000)
        );
        assert!(nesting_depth(&flat) < 10, "{}", nesting_depth(&flat));
        let page = format!("<html><body><article>{flat}</article></body></html>");
        assert!(extract(&page, &Boilerplate::builtin()).is_ok());
        assert_eq!(nesting_depth(&nested(700, "")), 700);
    }

    /// Above the cap the furniture is still judged: a menu nested 200 deep is dropped.
    #[test]
    fn furniture_is_dropped_at_any_depth_above_the_cap() {
        let page = nested(
            200,
            "<p>نص الخبر</p><ul><li><a href=\"/a\">سياسة</a></li><li><a href=\"/b\">اقتصاد</a></li></ul>",
        );
        assert_eq!(text(&page), "نص الخبر");
    }

    /// The measures agree with the definitions they replace: a section heading nested in
    /// inline elements is still found, and its link list skipped.
    #[test]
    fn a_heading_split_across_inline_elements_is_still_a_heading() {
        let page = "<article><p>نص الخبر</p><h3><span>مقالات</span> <b>ذات صلة</b></h3>\
                    <ul><li><a href=\"/1\">خبر أول</a></li><li><a href=\"/2\">خبر ثان</a></li></ul></article>";
        assert_eq!(text(page), "نص الخبر");
    }
}
