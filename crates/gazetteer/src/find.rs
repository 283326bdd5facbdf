//! Finding place names in a report and deciding which place each one means.
//!
//! The steps, each documented where it is done:
//! 1. [`Gazetteer::scan`]: leftmost-longest matching of every name over the normalized text,
//!    word by word, after proclitics.
//! 2. [`Gazetteer::cues_before`] and the person checks: what the words around a name say.
//! 3. [`Gazetteer::find`]: anchors, homonym resolution by context, acceptance, precision.

use crate::gazetteer::{Gazetteer, ARTICLE, SYRIA};
use crate::lexicon::CueKind;
use crate::place::{Place, PlaceId, PlaceKind, Relative};
use aho_corasick::{Anchored, Input};
use rasd_arabic::{tokens, NormSpan, Normalized, Token, TokenKind};
use rasd_core::{GeoPrecision, Span};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cell::RefCell;

thread_local! {
    /// The gazetteer (by its id) and, for each word this thread has read with it, which of
    /// its proclitic splits may start a name ([`Gazetteer::name_starts`]).
    static NAME_STARTS: RefCell<(u64, rasd_arabic::WordCache<u32>)> = RefCell::default();
}

/// The fewest letters of a name found behind proclitics («بدرعا»): two-letter names («إب»)
/// are the tails of too many common words («باب»).
const MIN_NAME_LETTERS_BEHIND_PROCLITICS: usize = 3;
/// The shortest bare list of governorates' names read as provinces.
const PROVINCE_LIST: usize = 3;

/// How far (in bytes of normalized text, about 50 words) another place or a governorate
/// counts as "nearby" support for a common-word name, and as close context for homonyms.
pub const NEARBY_BYTES: usize = 300;
/// A one-word name of at most this many letters (not counting «ال») is treated like a common
/// word: it needs a strong cue, or a weak cue and a nearby place of the same area.
pub const SHORT_NAME_LETTERS: usize = 3;
/// A one-word name of at least this many letters (not counting «ال») that names a single
/// place and is not a common word is accepted without any cue.
pub const LONG_NAME_LETTERS: usize = 6;
/// The score a place gets when a neighbour in its list may be a place of its district.
const LIST_MATE: f64 = 2.0;
/// The most cue phrases read before a name («إلى الشمال من مدينة» is three).
const MAX_CUES: usize = 3;

/// A place named in a report, resolved to one gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMention {
    /// The name in the original text (without proclitics or cue words).
    pub span: Span,
    /// The place it resolves to.
    pub place: PlaceId,
    /// 1 the place itself, 2 near it or part of a district, 3 a governorate or region.
    pub geo_precision: GeoPrecision,
    /// The cue words before the name as written («بالقرب من مدينة»), if any.
    pub cue: Option<String>,
    /// Where the cue words are in the original text.
    pub cue_span: Option<Span>,
    /// Why the name was accepted and why this candidate won (for `rasd explain`).
    pub reason: String,
    /// The other places the name could mean, best first.
    pub alternatives: Vec<PlaceId>,
    /// The name says where something else is: an end of the road the event is on («طريق دمشق
    /// بيروت»), or the home town of people the report names («من أبناء مدينة السويداء»). A
    /// place the report names beside it locates the event better.
    pub aside: bool,
}

/// A name found in a report that names no place there, and why (for `rasd explain`).
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedName {
    /// The name in the original text.
    pub span: Span,
    /// The places it could have meant, best first.
    pub candidates: Vec<PlaceId>,
    /// Why it is not read as a place («a well-known person's name», «no Syrian anchor in the
    /// report», «a common word … without a cue»).
    pub reason: String,
}

/// Words and places that say which country a passage is about, at a position of the text.
#[derive(Clone, Copy, Debug)]
struct Evidence {
    pos: usize,
    /// The candidate it comes from.
    cand: usize,
    syrian: bool,
    /// The country it names, when it names one only.
    country: Option<usize>,
    /// A place (a foreign city or province, a Syrian place), not only an adjective.
    place: bool,
}

/// What a report says of its country, for choosing between Syria and abroad.
#[derive(Debug, Default)]
struct Scope {
    /// Sorted by position.
    evidence: Vec<Evidence>,
    /// The report names Syria, a Syrian governorate or capital, or a Syrian party.
    syrian_report: bool,
    /// The report is about elsewhere: it names a place abroad, or two words of peoples or
    /// parties abroad (one foreign force in a Syrian village is no foreign report). Computed
    /// once per report, not once per name.
    abroad: bool,
}

/// Syrian and foreign weight of the evidence near a position.
#[derive(Clone, Copy, Debug, Default)]
struct Weights {
    syrian: f64,
    foreign: f64,
    foreign_places: usize,
}

impl Scope {
    /// The evidence within [`NEARBY_BYTES`] of `pos` (and a little beyond: callers check the
    /// distance), found by binary search on the sorted evidence, so that looking at the
    /// context of every name of a long report stays near linear.
    fn window(&self, pos: usize) -> &[Evidence] {
        let from = self
            .evidence
            .partition_point(|e| e.pos + NEARBY_BYTES < pos);
        let to = from + self.evidence[from..].partition_point(|e| e.pos <= pos + NEARBY_BYTES);
        &self.evidence[from..to]
    }

    /// The evidence within [`NEARBY_BYTES`] of `pos`, not counting candidate `me`; or over the
    /// whole report when `all`. A foreign adjective weighs half a foreign place: Syrian news
    /// names foreign forces («طائرات روسية») all the time.
    fn weigh(&self, pos: usize, me: usize, all: bool) -> Weights {
        let mut w = Weights::default();
        let window = if all {
            &self.evidence[..]
        } else {
            self.window(pos)
        };
        for e in window {
            if e.cand == me || (!all && e.pos.abs_diff(pos) > NEARBY_BYTES) {
                continue;
            }
            if e.syrian {
                w.syrian += 1.0;
            } else if e.place {
                w.foreign += 1.0;
                w.foreign_places += 1;
            } else {
                w.foreign += 0.5;
            }
        }
        w
    }
}

/// One cue phrase before a name.
#[derive(Clone, Copy, Debug)]
struct Cue {
    kind: CueKind,
    span: NormSpan,
}

/// A name found in the text, before it is accepted or resolved.
#[derive(Debug)]
pub(crate) struct Candidate {
    pub(crate) name: usize,
    /// The name itself in the normalized text.
    span: NormSpan,
    /// Its first and last token.
    first: usize,
    last: usize,
    /// The proclitics before it in its first word («وب»), normalized.
    prefix: String,
    /// Cue phrases before it, nearest first.
    cues: Vec<Cue>,
    /// A kind cue taken over from the previous name of a list («مدينتي حلب وحماة»).
    inherited: Option<CueKind>,
    /// The previous candidate when the two are joined by «و», «،» or «أو».
    chain_prev: Option<usize>,
    /// Why this is a person, not a place.
    person: Option<String>,
    /// A direction adjective after it («ريف حلب الشمالي»).
    suffix: Option<NormSpan>,
}

impl Candidate {
    /// The cue that says which kind of place is meant: the nearest own kind cue, else an
    /// inherited one.
    fn kind_cue(&self) -> Option<CueKind> {
        self.own_kind_cue().or(self.inherited)
    }

    /// The nearest kind cue of the candidate's own, not one inherited from its list.
    fn own_kind_cue(&self) -> Option<CueKind> {
        self.cues.iter().map(|c| c.kind).find(|k| {
            matches!(
                k,
                CueKind::Settlement
                    | CueKind::Governorate
                    | CueKind::District
                    | CueKind::Subdistrict
                    | CueKind::Rural
                    | CueKind::Area
                    | CueKind::Origin
                    | CueKind::Road
                    | CueKind::Street
                    | CueKind::Namesake
            )
        })
    }

    fn strong(&self) -> Option<CueKind> {
        self.cues
            .iter()
            .map(|c| c.kind)
            .find(|k| k.is_strong())
            .or(self.inherited)
    }

    /// A preposition word before it («في», «من»), or an area or origin cue.
    fn preposition_word(&self) -> bool {
        self.cues.iter().any(|c| {
            matches!(
                c.kind,
                CueKind::Preposition | CueKind::Area | CueKind::Origin
            )
        })
    }

    /// A preposition before it, or «ب»/«ل»/«ك» among its proclitics.
    fn weak(&self) -> bool {
        if self.preposition_word() {
            return true;
        }
        let p = self.prefix.as_str();
        let p = p
            .strip_suffix(ARTICLE)
            .or_else(|| p.strip_suffix('ل'))
            .unwrap_or(p);
        p.contains(['ب', 'ل', 'ك']) || self.prefix.ends_with("لل")
    }

    fn near(&self) -> bool {
        self.cues.iter().any(|c| c.kind.is_near())
    }

    /// «ريف حلب», and «بريف بلدة تل تمر»: the countryside of the town a settlement cue names.
    fn rural(&self) -> bool {
        match self.kind_cue() {
            Some(CueKind::Rural) => true,
            Some(CueKind::Settlement) => self
                .cues
                .iter()
                .skip_while(|c| c.kind != CueKind::Settlement)
                .nth(1)
                .is_some_and(|c| c.kind == CueKind::Rural),
            _ => false,
        }
    }
}

/// Whether each candidate names where something else is — a road's end, people's home town —
/// by its own cues or by those of the names it is coordinated with («من أبناء بلدات خان أرنبة
/// وجباتا الخشب», «طريق دمشق – السويداء»). One pass in text order: a name's list reaches
/// back through names already settled, so a list of any length costs linear time.
fn asides(cands: &[Candidate]) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::with_capacity(cands.len());
    for (i, c) in cands.iter().enumerate() {
        let own = c
            .cues
            .iter()
            .map(|q| q.kind)
            .chain(c.inherited)
            .any(|k| matches!(k, CueKind::Road | CueKind::Origin));
        let inherited = c.chain_prev.filter(|&p| p < i).is_some_and(|p| out[p]);
        out.push(own || inherited);
    }
    out
}

/// What is known of the area of an accepted name, for resolving the others. Its P-codes are
/// the gazetteer's own, borrowed: a long report has an anchor for every place it names.
#[derive(Clone, Debug)]
struct Anchor<'g> {
    cand: usize,
    pos: usize,
    admin1: Option<&'g str>,
    admin2: Option<&'g str>,
    /// The governorate itself or its capital was named.
    governorate: bool,
    foreign: bool,
}

/// Report-wide tallies of the anchors' areas.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    places: usize,
    named: usize,
}

/// The anchors of a report, sorted by position, with tallies by area, so that scoring a place
/// looks only at the anchors near it.
#[derive(Debug, Default)]
struct Context<'g> {
    anchors: Vec<Anchor<'g>>,
    admin1: HashMap<&'g str, Tally>,
    admin2: HashMap<&'g str, usize>,
    foreign: usize,
}

impl<'g> Context<'g> {
    fn new(mut anchors: Vec<Anchor<'g>>) -> Context<'g> {
        anchors.sort_by_key(|a| (a.pos, a.cand));
        let mut ctx = Context::default();
        for a in &anchors {
            if a.foreign {
                ctx.foreign += 1;
            }
            if let Some(c) = a.admin2 {
                *ctx.admin2.entry(c).or_default() += 1;
            }
            if let Some(c) = a.admin1 {
                let t = ctx.admin1.entry(c).or_default();
                t.places += 1;
                t.named += usize::from(a.governorate);
            }
        }
        ctx.anchors = anchors;
        ctx
    }

    /// The anchors within [`NEARBY_BYTES`] of `pos`.
    fn near(&self, pos: usize) -> &[Anchor<'g>] {
        let lo = self.anchors.partition_point(|a| a.pos + NEARBY_BYTES < pos);
        let hi = self
            .anchors
            .partition_point(|a| a.pos <= pos + NEARBY_BYTES);
        &self.anchors[lo..hi.max(lo)]
    }

    /// The governorate of the Syrian anchor nearest to `pos`.
    fn nearest_governorate(&self, pos: usize) -> Option<&'g str> {
        let at = self.anchors.partition_point(|a| a.pos < pos);
        let (mut left, mut right) = (at, at);
        loop {
            let l = left.checked_sub(1).map(|i| &self.anchors[i]);
            let r = self.anchors.get(right);
            let pick = match (l, r) {
                (None, None) => return None,
                (Some(l), None) => {
                    left -= 1;
                    l
                }
                (None, Some(r)) => {
                    right += 1;
                    r
                }
                (Some(l), Some(r)) => {
                    if pos - l.pos <= r.pos - pos {
                        left -= 1;
                        l
                    } else {
                        right += 1;
                        r
                    }
                }
            };
            // The nearest place abroad says the passage is about another country.
            if pick.foreign {
                return None;
            }
            if let Some(g) = pick.admin1 {
                return Some(g);
            }
        }
    }
}

/// The decision for one candidate.
#[derive(Clone, Debug)]
struct Decision {
    place: PlaceId,
    alternatives: Vec<PlaceId>,
    accepted: bool,
    why_accepted: Cow<'static, str>,
    why_place: Cow<'static, str>,
}

impl Gazetteer {
    /// Every accepted, resolved place mention in a report, in text order.
    ///
    /// `original` is the report as read and `normalized` its [`rasd_arabic::normalize`]d view;
    /// spans point into `original`. See the crate docs for the rules, and [`NEARBY_BYTES`],
    /// [`SHORT_NAME_LETTERS`] and [`LONG_NAME_LETTERS`] for the thresholds.
    ///
    /// # Examples
    /// ```
    /// use rasd_gazetteer::Gazetteer;
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let text = "قصف على بلدة نمر شمال مدينة جاسم";
    /// let found = gaz.find(text, &rasd_arabic::normalize(text));
    /// let names: Vec<&str> = found.iter().map(|m| &text[m.span]).collect();
    /// assert_eq!(names, ["نمر", "جاسم"]);
    /// assert_eq!(found[1].geo_precision, rasd_core::GeoPrecision::Near);
    /// ```
    pub fn find(&self, original: &str, normalized: &Normalized) -> Vec<PlaceMention> {
        self.find_explained(original, normalized).0
    }

    /// [`Gazetteer::find`] over the report's [`tokens`], already split by a caller that reads
    /// them too: a report is tokenized once for all layers.
    pub fn find_in_tokens(
        &self,
        original: &str,
        normalized: &Normalized,
        toks: &[Token],
    ) -> Vec<PlaceMention> {
        self.explain_tokens(original, normalized, toks, None).0
    }

    /// [`Gazetteer::find_in_tokens`] with each token's [`Gazetteer::name_start_bits`] worked
    /// out by the caller (`starts[i]` for `toks[i]`), which keeps them per word with the
    /// rest of what it learns of a word.
    pub fn find_in_tokens_with_starts(
        &self,
        original: &str,
        normalized: &Normalized,
        toks: &[Token],
        starts: &[u32],
    ) -> Vec<PlaceMention> {
        self.explain_tokens(original, normalized, toks, Some(starts))
            .0
    }

    /// [`Gazetteer::find`], with the names it did not read as places and why (for `rasd
    /// explain`): people, common words, Syrian names in a report about elsewhere.
    ///
    /// # Scope: Syria or abroad
    /// A report that names neither Syria, a Syrian governorate or capital, a region named
    /// after Syria («الساحل السوري») nor a Syrian party (`country_words.tsv`), but names
    /// places or peoples abroad, has no Syrian places: its names
    /// read as places abroad or not at all. Otherwise a name of both a Syrian and a foreign
    /// place is Syrian only when the words and places around it (within [`NEARBY_BYTES`], else
    /// the whole report) are more Syrian than foreign; and a Syrian village or a relative name
    /// («المحافظة») near places abroad with nothing Syrian near it is no place.
    ///
    /// # Examples
    /// ```
    /// use rasd_gazetteer::Gazetteer;
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let text = "التقى الرئيس باراك أوباما وفدا في مدينة الطائف";
    /// let (found, rejected) = gaz.find_explained(text, &rasd_arabic::normalize(text));
    /// assert_eq!(gaz.place(found[0].place).country, "SA");
    /// assert!(rejected.is_empty() || rejected.iter().all(|r| &text[r.span] != "اراك"));
    /// ```
    pub fn find_explained(
        &self,
        original: &str,
        normalized: &Normalized,
    ) -> (Vec<PlaceMention>, Vec<RejectedName>) {
        self.explain_tokens(original, normalized, &tokens(normalized), None)
    }

    /// [`Gazetteer::find_explained`] over the tokens of `normalized`.
    fn explain_tokens(
        &self,
        original: &str,
        normalized: &Normalized,
        toks: &[Token],
        starts: Option<&[u32]>,
    ) -> (Vec<PlaceMention>, Vec<RejectedName>) {
        let text = normalized.as_str();
        let cands = self.scan(text, toks, starts);
        let mut opts: Vec<Vec<PlaceId>> = cands.iter().map(|c| self.options(c)).collect();
        let mut rejected: Vec<(usize, String)> = Vec::new();
        let scope = self.scope(&cands, &opts);
        for (i, c) in cands.iter().enumerate() {
            if let Some(first) = self.pair_named_before(text, &cands[..i], c) {
                // «القريتين» refers back to the pair: it means the places the pair's first
                // name means.
                opts[i] = opts[first].clone();
                continue;
            }
            let namesake = match c.kind_cue() {
                Some(CueKind::Street) => Some("a street or square named after a place"),
                Some(CueKind::Namesake) => Some("an outlet or body named after a place"),
                _ if self.governorate_abroad(c) => {
                    Some("«محافظة» before a name that no Syrian governorate bears: one abroad")
                }
                _ => None,
            };
            if let Some(why) = namesake {
                opts[i].clear();
                rejected.push((i, why.to_string()));
                continue;
            }
            if let Some(why) = self.narrow_by_scope(i, c, &mut opts[i], &scope) {
                rejected.push((i, why));
            }
        }

        // Round 1: names that stand on their own (strong cue, or a safe name) anchor the
        // context; round 2 resolves every name with the anchors of round 1 and accepts what
        // they support; round 3 does it again with every name accepted in round 2.
        let mut anchors = Vec::new();
        for (i, c) in cands.iter().enumerate() {
            if opts[i].is_empty() || !self.self_standing(c, &opts[i]) {
                continue;
            }
            if let Some(a) = self.anchor_of_options(i, c, &opts[i]) {
                anchors.push(a);
            }
        }
        let mut decisions = self.decide_all(&cands, &opts, &Context::new(anchors), &[]);
        let accepted: Vec<bool> = decisions
            .iter()
            .map(|d| d.as_ref().is_some_and(|d| d.accepted))
            .collect();
        let ctx = Context::new(self.anchors_of(&cands, &decisions));
        decisions = self.decide_all(&cands, &opts, &ctx, &accepted);

        let mut out = Vec::new();
        let ctx = Context::new(self.anchors_of(&cands, &decisions));
        let provinces = self.listed_provinces(&cands, &decisions);
        let asides = asides(&cands);
        for (i, c) in cands.iter().enumerate() {
            let Some(d) = &decisions[i] else { continue };
            if !d.accepted {
                tracing::trace!(name = %self.names[c.name].key, why = %d.why_accepted, "rejected");
                rejected.push((i, d.why_accepted.to_string()));
                continue;
            }
            match self.mention(original, normalized, c, d, &ctx) {
                Some(mut m) => {
                    m.aside = asides[i];
                    if provinces[i] {
                        self.as_governorate(&mut m);
                    }
                    out.push(m);
                }
                None => rejected.push((
                    i,
                    "a part of a governorate, but the places near it are abroad".to_string(),
                )),
            }
        }
        rejected.sort_by_key(|r| r.0);
        let rejected = rejected
            .into_iter()
            .map(|(i, reason)| RejectedName {
                span: normalized.to_original_with_marks(cands[i].span),
                candidates: self.names[cands[i].name].places.clone(),
                reason,
            })
            .collect();
        (out, rejected)
    }

    /// What the report says of its country: adjectives and parties (`country_words.tsv`),
    /// countries, and names that stand on their own with all their places in one country.
    fn scope(&self, cands: &[Candidate], opts: &[Vec<PlaceId>]) -> Scope {
        let mut scope = Scope::default();
        for (i, c) in cands.iter().enumerate() {
            let name = &self.names[c.name];
            let pos = c.span.start;
            if let Some(cc) = &name.scope {
                let syrian = cc == SYRIA;
                scope.syrian_report |= syrian;
                scope.evidence.push(Evidence {
                    pos,
                    cand: i,
                    syrian,
                    country: self.country_index.get(cc).copied(),
                    place: false,
                });
                continue;
            }
            if opts[i].is_empty() || !self.self_standing(c, &opts[i]) {
                continue;
            }
            let places: Vec<&Place> = opts[i].iter().map(|&id| self.place(id)).collect();
            if places
                .iter()
                .any(|p| p.relative.is_some() || p.is_frontier())
            {
                // Syria's border with a neighbour says nothing of which country a passage is
                // about: «محافظة درعا المحاذية للحدود الأردنية» is news from Syria.
                continue;
            }
            if places.iter().all(|p| p.foreign) {
                let country = self.country_index.get(&places[0].country).copied();
                scope.evidence.push(Evidence {
                    pos,
                    cand: i,
                    syrian: false,
                    country: country
                        .filter(|_| places.iter().all(|p| p.country == places[0].country)),
                    place: places.iter().any(|p| p.kind != PlaceKind::Country),
                });
            } else if places.iter().all(|p| !p.foreign) {
                let anchor = name.syrian
                    || places.iter().any(|p| {
                        matches!(p.kind, PlaceKind::Governorate | PlaceKind::Country) || p.rank <= 1
                    });
                scope.syrian_report |= anchor;
                if anchor || self.anchoring_cue(c).is_some() || name.words >= 2 {
                    scope.evidence.push(Evidence {
                        pos,
                        cand: i,
                        syrian: true,
                        country: self.country_index.get(SYRIA).copied(),
                        place: true,
                    });
                }
            }
        }
        scope.evidence.sort_by_key(|e| e.pos);
        scope.abroad = scope.evidence.iter().any(|e| !e.syrian && e.place)
            || scope.evidence.iter().filter(|e| !e.syrian).count() >= 2;
        scope
    }

    /// The strong cue that makes a name a Syrian place in a report that has no other sign of
    /// Syria. Before a common word only a settlement or countryside noun does: «منطقة»
    /// («area») also names trade zones and regions of the world («منطقة التجارة الحرة»),
    /// and «قرب», «شمال» or «طريق» read with any noun («قرب حلول العيد», «قرب الشاطئ»),
    /// unless the name is a Syrian town that seats a district or subdistrict («قرب السلمية»).
    fn anchoring_cue(&self, c: &Candidate) -> Option<CueKind> {
        let name = &self.names[c.name];
        let prominent = || {
            name.places.iter().any(|&id| {
                let p = self.place(id);
                !p.foreign && (p.rank <= 3 || p.kind.is_admin())
            })
        };
        c.strong().filter(|&k| {
            !name.common || matches!(k, CueKind::Settlement | CueKind::Rural) || prominent()
        })
    }

    /// Keeps, of a name of places abroad only, those in a country the passage names; a small
    /// place abroad (rank 3 and lower) in a country the passage does not name, while it names
    /// others, is no place («حي الكرامة بمدينة عدن» is not Jordan's Karama).
    fn fit_country(
        &self,
        i: usize,
        c: &Candidate,
        opts: &mut Vec<PlaceId>,
        scope: &Scope,
    ) -> Option<String> {
        let named: Vec<usize> = scope
            .window(c.span.start)
            .iter()
            .filter(|e| !e.syrian && e.cand != i && e.pos.abs_diff(c.span.start) <= NEARBY_BYTES)
            .filter_map(|e| e.country)
            .collect();
        if named.is_empty() {
            return None;
        }
        let fits = |id: &PlaceId| {
            let p = self.place(*id);
            p.rank <= 2
                || self
                    .country_index
                    .get(&p.country)
                    .is_some_and(|k| named.contains(k))
        };
        if opts.iter().any(fits) {
            opts.retain(fits);
            return None;
        }
        opts.clear();
        Some("a small place abroad, in a country the passage does not name".to_string())
    }

    /// Keeps the options of candidate `i` that its scope allows: no Syrian place in a report
    /// with no Syrian anchor; of a Syrian and a foreign homonym, the Syrian one only with more
    /// Syrian than foreign context; no Syrian village in a passage about places abroad. Returns
    /// why the name is no place when nothing is left.
    fn narrow_by_scope(
        &self,
        i: usize,
        c: &Candidate,
        opts: &mut Vec<PlaceId>,
        scope: &Scope,
    ) -> Option<String> {
        if opts.is_empty() || self.names[c.name].phrase {
            return None;
        }
        let syrian = |id: &PlaceId| !self.place(*id).foreign;
        let any_syrian = opts.iter().any(syrian);
        let any_foreign = opts.iter().any(|id| !syrian(id));
        if !any_syrian {
            return self.fit_country(i, c, opts, scope);
        }
        if !scope.syrian_report && scope.abroad {
            opts.retain(|id| !syrian(id));
            if opts.is_empty() {
                return Some(
                    "a Syrian name in a report about elsewhere, with no Syrian anchor (Syria, a \
                     governorate, a Syrian party)"
                        .to_string(),
                );
            }
            return self.fit_country(i, c, opts, scope);
        }
        if !scope.syrian_report
            && self.anchoring_cue(c).is_none()
            && self.names[c.name].words < 2
            && opts.iter().filter(|id| syrian(id)).all(|&id| {
                matches!(
                    self.place(id).kind,
                    PlaceKind::Community | PlaceKind::Neighbourhood
                )
            })
            && (!c.weak() || self.is_common(c, opts))
        {
            // A report that names no country at all: only a name with a cue of its own
            // («بلدة», «ريف», «شمال»), a name of several words, a region or landmark, or a
            // preposition before a name that is no common word, may be a Syrian town.
            opts.retain(|id| !syrian(id));
            if opts.is_empty() {
                return Some(
                    "a Syrian name without a cue, in a report with no Syrian anchor".to_string(),
                );
            }
            return self.fit_country(i, c, opts, scope);
        }
        let pos = c.span.start;
        let near = scope.weigh(pos, i, false);
        if any_foreign {
            let w = if near.syrian + near.foreign > 0.0 {
                near
            } else {
                scope.weigh(pos, i, true)
            };
            if w.syrian > w.foreign {
                opts.retain(syrian);
                return None;
            }
            opts.retain(|id| !syrian(id));
            return self.fit_country(i, c, opts, scope);
        }
        let prominent = opts.iter().any(|&id| {
            let p = self.place(id);
            p.kind == PlaceKind::Governorate || p.rank <= 1
        });
        if !prominent && near.foreign_places > 0 && near.syrian == 0.0 {
            opts.clear();
            return Some(
                "a Syrian name among places abroad, with nothing Syrian near it".to_string(),
            );
        }
        None
    }

    /// Leftmost-longest matching over the normalized text. At each word, every admissible
    /// proclitic split ([`rasd_arabic::Clitics::stems`]) is tried with an anchored search of
    /// the automaton (`MatchKind::LeftmostLongest`), keeping only matches that end at the end
    /// of a word; the longest wins (the unsplit word on a tie), and matching goes on after it.
    /// So «بصرى الشام» wins over «بصرى» and «دير الزور» over «دير», and «وبدرعا» is found.
    pub(crate) fn scan(
        &self,
        text: &str,
        toks: &[Token],
        starts: Option<&[u32]>,
    ) -> Vec<Candidate> {
        // A bit for each byte offset of the text: whether a word ends there.
        let mut word_ends = vec![0u64; text.len() / 64 + 1];
        for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
            if let Some(bits) = word_ends.get_mut(t.norm.end / 64) {
                *bits |= 1 << (t.norm.end % 64);
            }
        }
        let mut cands: Vec<Candidate> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.kind != TokenKind::Word {
                i += 1;
                continue;
            }
            let word = &text[t.norm.start..t.norm.end];
            let searched = starts
                .and_then(|s| s.get(i).copied())
                .unwrap_or_else(|| self.name_starts(word));
            if searched == 0 {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, usize, usize)> = None; // (end, offset, name)
            let is_end = |e: usize| {
                word_ends
                    .get(e / 64)
                    .is_some_and(|b| b & (1 << (e % 64)) != 0)
            };
            for (k, (off, stem)) in self.clitics.stem_iter(word).enumerate() {
                if searched & (1 << k.min(31)) == 0 {
                    continue;
                }
                let start = t.norm.start + off;
                let found = if word[..off].ends_with("لل") {
                    // «للرقة» is «ل» + «الرقة» with the article's alef dropped: search the
                    // article and the rest of the text together.
                    self.after_lam(text, start, &is_end)
                } else if self.first_words.contains(stem) {
                    self.longest_from(text, start, &is_end)
                } else {
                    None
                };
                let Some((end, pat)) = found else { continue };
                // «باب» (a door) is no «ب» + «إب» (Ibb): a name reached behind proclitics
                // must be long enough not to be the tail of a common word.
                if off > 0 && self.names[pat].letters < MIN_NAME_LETTERS_BEHIND_PROCLITICS {
                    continue;
                }
                if best.is_none_or(|(e, _, _)| end > e) {
                    best = Some((end, off, pat));
                }
            }
            let Some((end, off, pat)) = best else {
                i += 1;
                continue;
            };
            let last = (i..toks.len())
                .find(|&j| toks[j].norm.end == end)
                .unwrap_or(i);
            let name = pat;
            let lower = cands.last().map_or(0, |c| c.last + 1);
            let mut cand = Candidate {
                name,
                span: NormSpan::new(t.norm.start + off, end),
                first: i,
                last,
                prefix: word[..off].to_string(),
                // A name with «و» on it starts a new conjunct: the words before it belong to
                // the previous one («في شمال ووسط سوريا»); it may inherit a kind cue instead.
                cues: if self.names[name].phrase || word[..off].starts_with('و') {
                    Vec::new()
                } else {
                    self.cues_before(text, toks, i, lower)
                },
                inherited: None,
                chain_prev: None,
                person: None,
                suffix: None,
            };
            if !self.names[name].phrase {
                self.link(text, toks, &mut cand, &cands);
                if cand.chain_prev.is_none() && cand.kind_cue().is_none() {
                    cand.inherited = self.cue_across_unknown_name(text, toks, &cand, lower);
                }
                cand.person = self.person(text, toks, &cand);
                cand.suffix = self.suffix_after(text, toks, last);
            }
            cands.push(cand);
            i = last + 1;
        }
        cands
    }

    /// Which of the proclitic splits of `word` ([`rasd_arabic::Clitics::stem_iter`], in its
    /// order) [`Gazetteer::scan`] searches for a name: bit `k` for the `k`-th, the 32nd bit for
    /// it and every later one. Zero for a word that starts no name, most of a report's words:
    /// kept per thread from report to report.
    fn name_starts(&self, word: &str) -> u32 {
        NAME_STARTS.with_borrow_mut(|(owner, cache)| {
            if *owner != self.id {
                *owner = self.id;
                cache.clear();
            }
            if let Some(&bits) = cache.get(word) {
                return bits;
            }
            let bits = self.name_start_bits(word);
            cache.insert(word.into(), bits);
            bits
        })
    }

    /// Which of the proclitic splits of the normalized `word` may begin a name (see
    /// [`Gazetteer::find_in_tokens_with_starts`]): bit `k` for the `k`-th split of
    /// [`rasd_arabic::Clitics::stem_iter`], the 32nd bit for it and every later one.
    pub fn name_start_bits(&self, word: &str) -> u32 {
        self.clitics
            .stem_iter(word)
            .enumerate()
            .filter(|(_, (off, stem))| {
                word[..*off].ends_with("لل") || self.first_words.contains(*stem)
            })
            .fold(0u32, |bits, (k, _)| bits | 1 << k.min(31))
    }

    /// The longest name starting exactly at `start` of `hay` and ending where `is_end` says a
    /// word ends: `(end, name)`.
    fn longest_from(
        &self,
        hay: &str,
        start: usize,
        is_end: &dyn Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let mut limit = hay.len();
        while limit > start {
            let input = Input::new(hay).range(start..limit).anchored(Anchored::Yes);
            let m = self.automaton.try_find(input).ok().flatten()?;
            if is_end(m.end()) {
                return Some((m.end(), m.pattern().as_usize()));
            }
            limit = m.end() - 1;
        }
        None
    }

    /// The longest name that starts with the article and goes on at `start` of `text`, for a
    /// word whose proclitics end with «لل»: the article and at most the longest name's length
    /// of text are copied into a small buffer and searched there.
    fn after_lam(
        &self,
        text: &str,
        start: usize,
        is_end: &dyn Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let mut stop = (start + self.longest_name).min(text.len());
        while !text.is_char_boundary(stop) {
            stop -= 1;
        }
        let mut buf = String::with_capacity(ARTICLE.len() + stop - start);
        buf.push_str(ARTICLE);
        buf.push_str(&text[start..stop]);
        let shift = |e: usize| e + start - ARTICLE.len();
        let (end, name) = self.longest_from(&buf, 0, &|e| e > ARTICLE.len() && is_end(shift(e)))?;
        Some((shift(end), name))
    }

    /// The cue phrases right before token `first` (not reaching back past token `lower`),
    /// nearest first: up to [`MAX_CUES`] phrases, stopping after a preposition. A cue word
    /// may carry proclitics («بريف», «وفي»).
    fn cues_before(&self, text: &str, toks: &[Token], first: usize, lower: usize) -> Vec<Cue> {
        let mut out = Vec::new();
        let mut j = first;
        while out.len() < MAX_CUES && j > lower {
            let mut found = None;
            for k in (1..=self.lexicon.cue_words.min(j - lower)).rev() {
                let slice = &toks[j - k..j];
                if slice.iter().any(|t| t.kind != TokenKind::Word) {
                    continue;
                }
                let (s, e) = (slice[0].norm.start, slice[k - 1].norm.end);
                let first_word = &text[s..slice[0].norm.end];
                for (off, _) in self.clitics.stem_iter(first_word) {
                    if let Some(&kind) = self.lexicon.cues.get(&text[s + off..e]) {
                        found = Some((
                            k,
                            Cue {
                                kind,
                                span: NormSpan::new(s + off, e),
                            },
                        ));
                        break;
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            let Some((k, cue)) = found else { break };
            if cue.kind == CueKind::Suffix {
                break;
            }
            out.push(cue);
            j -= k;
            if matches!(
                cue.kind,
                CueKind::Preposition | CueKind::Area | CueKind::Origin
            ) {
                break;
            }
        }
        out
    }

    /// Joins a candidate to the previous one when only «و» (as a proclitic or a word), «،»,
    /// «,» or «أو» stands between them, and takes over the previous one's kind cue when it
    /// has none of its own: «مدينتي حلب وحماة», «ريفي حماة وإدلب».
    fn link(&self, text: &str, toks: &[Token], cand: &mut Candidate, cands: &[Candidate]) {
        let Some(prev_i) = cands.len().checked_sub(1) else {
            return;
        };
        let prev = &cands[prev_i];
        if self.names[prev.name].phrase {
            return;
        }
        // A road's two ends stand side by side, or with a dash: «طريق دمشق – السويداء».
        let road = prev.kind_cue() == Some(CueKind::Road);
        let joined = if cand.first == prev.last + 1 {
            cand.prefix.starts_with('و') || road
        } else if cand.first == prev.last + 2 {
            let between = toks[prev.last + 1];
            match &text[between.norm.start..between.norm.end] {
                "،" | "," | "و" | "او" => true,
                "-" | "–" | "—" => road,
                _ => false,
            }
        } else {
            false
        };
        if !joined {
            return;
        }
        cand.chain_prev = Some(prev_i);
        if cand.kind_cue().is_none() {
            // «ريف حماة وإدلب» is the countryside of both; «بريف إدلب، والأتارب» names a town
            // beside it, not the countryside of that town.
            let provincial = self.names[cand.name].places.iter().any(|&id| {
                let p = self.place(id);
                p.kind == PlaceKind::Governorate || (p.kind == PlaceKind::Community && p.rank <= 1)
            });
            cand.inherited = prev.kind_cue().filter(|k| {
                (k.is_strong() && (*k != CueKind::Rural || provincial)) || *k == CueKind::Street
            });
        }
    }

    /// The settlement cue of a list whose first name the gazetteer does not know, for the
    /// name after «و»: in «قريتي معرستي وماير» the second village shares the cue before the
    /// one unknown word ahead of it, as it would share a known first name's.
    fn cue_across_unknown_name(
        &self,
        text: &str,
        toks: &[Token],
        cand: &Candidate,
        lower: usize,
    ) -> Option<CueKind> {
        if !cand.prefix.starts_with('و') || cand.first < lower + 2 {
            return None;
        }
        let unknown = cand.first - 1;
        if toks[unknown].kind != TokenKind::Word {
            return None;
        }
        self.cues_before(text, toks, unknown, lower)
            .first()
            .map(|c| c.kind)
            .filter(|&k| k == CueKind::Settlement)
    }

    /// Why the candidate is a person: a kunya or title right before it, a title itself before
    /// another name, a family name right after it (unless a settlement cue stands before it).
    fn person(&self, text: &str, toks: &[Token], cand: &Candidate) -> Option<String> {
        let stems_in = |t: &Token, set: &rustc_hash::FxHashSet<String>| {
            let w = &text[t.norm.start..t.norm.end];
            self.clitics
                .stem_iter(w)
                .find(|(_, s)| set.contains(*s))
                .map(|(_, s)| s.to_string())
        };
        if cand.cues.is_empty() && cand.prefix.is_empty() && cand.first > 0 {
            let t = &toks[cand.first - 1];
            if t.kind == TokenKind::Word {
                if let Some(w) = stems_in(t, &self.lexicon.person_before) {
                    return Some(format!("a person's name after «{w}»"));
                }
            }
        }
        // A name that is itself a title, before another name, is a person's title, even after
        // «مدينة»: «مدينة الملك عبدالعزيز» is a city named after a king, not the village «ملك».
        if cand.first == cand.last {
            let next = toks
                .get(cand.last + 1)
                .filter(|t| t.kind == TokenKind::Word);
            if let (Some(title), Some(next)) = (
                toks.get(cand.first)
                    .and_then(|t| stems_in(t, &self.lexicon.person_before)),
                next,
            ) {
                let name = &text[next.norm.start..next.norm.end];
                return Some(format!("the title «{title}» before the name «{name}»"));
            }
        }
        if cand.strong() == Some(CueKind::Settlement) {
            return None;
        }
        if let Some(t) = toks
            .get(cand.last + 1)
            .filter(|t| t.kind == TokenKind::Word)
        {
            let w = &text[t.norm.start..t.norm.end];
            if self.lexicon.family.contains(w) {
                return Some(format!("a first name before the family name «{w}»"));
            }
            if self.family_shaped(w) && self.village_only(cand) {
                return Some(format!("a first name before the family name «{w}»"));
            }
        }
        None
    }

    /// A word shaped like a family name: «ال…ي» («الأصبحي», «السديسي»), at least five letters,
    /// that is no cue («الشمالي»), place, adjective of a country («السوري») or person.
    fn family_shaped(&self, w: &str) -> bool {
        w.starts_with(ARTICLE)
            && w.ends_with('ي')
            && w.chars().count() >= 5
            && !self.lexicon.cues.contains_key(w)
            && !self.name_index.contains_key(w)
    }

    /// True when every place a candidate's name may mean is a village, neighbourhood or
    /// landmark (no admin unit, town of rank 2 or better, region or place abroad).
    fn village_only(&self, cand: &Candidate) -> bool {
        self.names[cand.name].places.iter().all(|&id| {
            let p = self.place(id);
            !p.foreign
                && p.rank >= 3
                && matches!(
                    p.kind,
                    PlaceKind::Community | PlaceKind::Neighbourhood | PlaceKind::Landmark
                )
        })
    }

    /// A direction adjective right after token `last` («الشمالي الغربي»).
    fn suffix_after(&self, text: &str, toks: &[Token], last: usize) -> Option<NormSpan> {
        for k in (1..=2).rev() {
            let slice = toks.get(last + 1..last + 1 + k)?;
            if slice.iter().any(|t| t.kind != TokenKind::Word) {
                continue;
            }
            let span = NormSpan::new(slice[0].norm.start, slice[k - 1].norm.end);
            if self.lexicon.cues.get(&text[span.start..span.end]) == Some(&CueKind::Suffix) {
                return Some(span);
            }
        }
        None
    }

    /// The first of a pair a name refers back to, when it is a settlement noun's definite dual
    /// («القريتين», «the two villages») after the report has named a pair with that noun
    /// («قريتي تل أعور والفريكة»): it is that pair, not al-Qaryatayn of Homs, whose name says
    /// the same. The nearest such pair before it.
    fn pair_named_before(
        &self,
        text: &str,
        before: &[Candidate],
        cand: &Candidate,
    ) -> Option<usize> {
        let key = &self.names[cand.name].key;
        let dual = key.strip_prefix(ARTICLE)?.strip_suffix('ن')?;
        if self.lexicon.cues.get(dual) != Some(&CueKind::Settlement) {
            return None;
        }
        before.iter().rposition(|b| {
            b.cues.iter().any(|cue| {
                text.get(cue.span.start..cue.span.end)
                    .is_some_and(|t| t.ends_with(dual))
            })
        })
    }

    /// Whether a name follows its own «محافظة» (or «محافظ», its governor) but is no Syrian
    /// governorate nor a province abroad that the gazetteer knows: Syria's governorates are
    /// fourteen, so «محافظة بيشة» is a governorate of another country, not the Syrian village.
    fn governorate_abroad(&self, cand: &Candidate) -> bool {
        cand.own_kind_cue() == Some(CueKind::Governorate)
            && !self.names[cand.name].places.iter().any(|&id| {
                let p = self.place(id);
                p.kind == PlaceKind::Governorate
                    || (p.foreign && p.kind == PlaceKind::Foreign && p.precision.code() == 3)
            })
    }

    /// The places a candidate may mean, narrowed by its kind cue: «محافظة» keeps the
    /// governorate, «منطقة» the district, «ناحية» the subdistrict, «مدينة» the towns,
    /// «ريف» the governorate or its capital; without a kind cue, towns, landmarks, regions
    /// and foreign places come before admin units of the same name.
    pub(crate) fn options(&self, cand: &Candidate) -> Vec<PlaceId> {
        let all = &self.names[cand.name].places;
        let keep = |f: &dyn Fn(&Place) -> bool| -> Vec<PlaceId> {
            all.iter()
                .copied()
                .filter(|&id| f(self.place(id)))
                .collect()
        };
        let first_non_empty = |lists: Vec<Vec<PlaceId>>| -> Vec<PlaceId> {
            lists
                .into_iter()
                .find(|l| !l.is_empty())
                .unwrap_or_else(|| all.clone())
        };
        match cand.kind_cue() {
            Some(CueKind::Governorate | CueKind::Area | CueKind::Origin) => first_non_empty(vec![
                keep(&|p| p.kind == PlaceKind::Governorate),
                keep(&|p| p.foreign && p.kind == PlaceKind::Foreign && p.precision.code() == 3),
                keep(&|p| !p.kind.is_admin()),
            ]),
            Some(CueKind::District) => first_non_empty(vec![
                keep(&|p| p.kind == PlaceKind::District),
                keep(&|p| p.kind == PlaceKind::Region),
                keep(&|p| !p.kind.is_admin()),
            ]),
            Some(CueKind::Subdistrict) => first_non_empty(vec![
                keep(&|p| p.kind == PlaceKind::Subdistrict),
                keep(&|p| !p.kind.is_admin()),
            ]),
            Some(CueKind::Rural) => first_non_empty(vec![
                keep(&|p| p.kind == PlaceKind::Governorate),
                keep(&|p| !p.kind.is_admin()),
            ]),
            Some(CueKind::Settlement) => first_non_empty(vec![keep(&|p| {
                matches!(
                    p.kind,
                    PlaceKind::Community | PlaceKind::Neighbourhood | PlaceKind::Foreign
                )
            })]),
            _ => first_non_empty(vec![
                keep(&|p| !p.kind.is_admin()),
                keep(&|p| p.kind == PlaceKind::Governorate),
                keep(&|p| p.kind == PlaceKind::District),
            ]),
        }
    }

    /// True for a name that is accepted without support from other places: a strong cue,
    /// or a safe name (see [`Gazetteer::safe_name`]), or a name that is not a common word with
    /// a preposition before it.
    fn self_standing(&self, c: &Candidate, opts: &[PlaceId]) -> bool {
        let name = &self.names[c.name];
        if name.phrase
            || c.person.is_some()
            || (name.person && c.strong() != Some(CueKind::Settlement))
            || (name.family && c.strong().is_none())
        {
            return false;
        }
        if c.strong().is_some() {
            return true;
        }
        let common = self.is_common(c, opts);
        !common && (opts.iter().all(|&id| self.safe_name(c, self.place(id))) || c.weak())
    }

    /// A common word or first name, or a short one-word name («جب», «نوى») unless one of the
    /// places it may mean is prominent (a capital or district seat, a governorate, a foreign
    /// place, a region or a landmark: «حمص», «الرقة»).
    fn is_common(&self, c: &Candidate, opts: &[PlaceId]) -> bool {
        let name = &self.names[c.name];
        name.common
            || (name.words == 1
                && name.letters <= SHORT_NAME_LETTERS
                && !opts.iter().any(|&id| {
                    let p = self.place(id);
                    p.rank <= 2
                        || matches!(
                            p.kind,
                            PlaceKind::Governorate
                                | PlaceKind::Country
                                | PlaceKind::Region
                                | PlaceKind::Landmark
                        )
                }))
    }

    /// A name safe to accept with no cue at all: several words, or the name of a
    /// governorate, district, region, landmark, country or foreign place, or of a district
    /// seat or capital (rank <= 2), or one long word naming places of one district only.
    fn safe_name(&self, c: &Candidate, p: &Place) -> bool {
        let name = &self.names[c.name];
        name.words >= 2
            || matches!(
                p.kind,
                PlaceKind::Governorate
                    | PlaceKind::District
                    | PlaceKind::Country
                    | PlaceKind::Region
                    | PlaceKind::Landmark
            )
            || p.rank <= 2
            || (name.letters >= LONG_NAME_LETTERS && self.one_place(c))
    }

    /// True when every place of the name lies in one district: a town and the subdistrict
    /// named after it are one place for this purpose.
    fn one_place(&self, c: &Candidate) -> bool {
        let places = &self.names[c.name].places;
        let Some(first) = places.first().map(|&id| self.place(id)) else {
            return false;
        };
        let Some(a2) = first.admin2_pcode.as_ref() else {
            return places.len() == 1;
        };
        places
            .iter()
            .all(|&id| self.place(id).admin2_pcode.as_ref() == Some(a2))
    }

    /// The area a self-standing candidate vouches for before it is resolved: its governorate
    /// when all its options share one, and its district when they share that too.
    fn anchor_of_options(&self, i: usize, c: &Candidate, opts: &[PlaceId]) -> Option<Anchor<'_>> {
        let places: Vec<&Place> = opts.iter().map(|&id| self.place(id)).collect();
        let first = places.first()?;
        if first.relative.is_some() {
            return None;
        }
        let same = |f: fn(&Place) -> Option<&str>| {
            let v = f(first);
            places.iter().all(|p| f(p) == v).then_some(v).flatten()
        };
        let admin1 = same(|p| p.admin1_pcode.as_deref());
        let foreign = places.iter().all(|p| p.foreign);
        if admin1.is_none() && !foreign {
            return None;
        }
        Some(Anchor {
            cand: i,
            pos: c.span.start,
            admin2: same(|p| p.admin2_pcode.as_deref()),
            governorate: places
                .iter()
                .any(|p| p.kind == PlaceKind::Governorate || (p.rank <= 1 && !p.foreign)),
            admin1,
            foreign,
        })
    }

    /// Anchors from decided, accepted candidates.
    fn anchors_of(&self, cands: &[Candidate], decisions: &[Option<Decision>]) -> Vec<Anchor<'_>> {
        let mut out = Vec::new();
        for (i, d) in decisions.iter().enumerate() {
            let Some(d) = d.as_ref().filter(|d| d.accepted) else {
                continue;
            };
            let p = self.place(d.place);
            if p.relative.is_some() || p.kind == PlaceKind::Country {
                continue;
            }
            out.push(Anchor {
                cand: i,
                pos: cands[i].span.start,
                admin1: p.admin1_pcode.as_deref(),
                admin2: p.admin2_pcode.as_deref(),
                governorate: p.kind == PlaceKind::Governorate || (p.rank <= 1 && !p.foreign),
                foreign: p.foreign && !p.is_frontier(),
            });
        }
        out
    }

    /// How well a place fits the report's anchors: a place of the same district counts most,
    /// then the same governorate, with a bonus when the governorate or its capital is named;
    /// anchors within [`NEARBY_BYTES`] count more (2 to 4 times); prominence
    /// (rank) breaks ties. Report-wide tallies plus the anchors of the window around `pos`
    /// keep this linear in the report's length.
    fn score(&self, p: &Place, pos: usize, ctx: &Context, me: usize) -> f64 {
        // (far weight, extra weight when near) for the foreign, district, governorate and
        // governorate-named matches.
        const FOREIGN: (f64, f64) = (1.0, 1.0);
        const DISTRICT: (f64, f64) = (2.0, 2.0);
        const GOVERNORATE: (f64, f64) = (1.0, 2.0);
        const NAMED: (f64, f64) = (3.0, 3.0);
        let mut s = f64::from(4u32.saturating_sub(p.rank.min(4))) * 0.5;
        let weigh = |a: &Anchor, pick: fn((f64, f64)) -> f64| -> f64 {
            let mut w = 0.0;
            if p.foreign {
                if a.foreign {
                    w += pick(FOREIGN);
                }
                return w;
            }
            if a.admin2.is_some() && a.admin2 == p.admin2_pcode.as_deref() {
                w += pick(DISTRICT);
            }
            if a.admin1.is_some() && a.admin1 == p.admin1_pcode.as_deref() {
                w += pick(GOVERNORATE);
                if a.governorate {
                    w += pick(NAMED);
                }
            }
            w
        };
        if p.foreign {
            s += FOREIGN.0 * ctx.foreign as f64;
        } else {
            if let Some(n) = p.admin2_pcode.as_deref().and_then(|c| ctx.admin2.get(c)) {
                s += DISTRICT.0 * *n as f64;
            }
            if let Some(t) = p.admin1_pcode.as_deref().and_then(|c| ctx.admin1.get(c)) {
                s += GOVERNORATE.0 * t.places as f64 + NAMED.0 * t.named as f64;
            }
        }
        for a in ctx.near(pos) {
            if a.cand == me {
                s -= weigh(a, |w| w.0); // counted in the tallies; a name is no context for itself
            } else {
                s += weigh(a, |w| w.1);
            }
        }
        s
    }

    /// The support a place has from the anchors within [`NEARBY_BYTES`]: `strict` asks for a
    /// place of the same district or its governorate named; otherwise any accepted place of
    /// the same governorate will do.
    fn support(
        &self,
        p: &Place,
        pos: usize,
        ctx: &Context,
        me: usize,
        strict: bool,
    ) -> Option<String> {
        let near = ctx.near(pos);
        if p.foreign {
            return near
                .iter()
                .any(|a| a.cand != me && a.foreign)
                .then(|| "another foreign place nearby".to_string());
        }
        let a1 = p.admin1_pcode.as_deref()?;
        if strict {
            let same = |a: &&Anchor| {
                a.cand != me
                    && a.admin1 == Some(a1)
                    && (a.governorate
                        || (a.admin2.is_some() && a.admin2 == p.admin2_pcode.as_deref()))
            };
            return near
                .iter()
                .any(|a| same(&a))
                .then(|| "a place of the same area nearby".to_string());
        }
        near.iter()
            .any(|a| a.cand != me && a.admin1 == Some(a1))
            .then(|| "a place of the same governorate nearby".to_string())
    }

    /// The places the neighbours of candidate `i` in a list («الهامة وقدسيا») may mean.
    fn list_mates(&self, i: usize, cands: &[Candidate], opts: &[Vec<PlaceId>]) -> Vec<PlaceId> {
        let mut out = Vec::new();
        if let Some(p) = cands[i].chain_prev {
            out.extend(&opts[p]);
        }
        if cands.get(i + 1).is_some_and(|n| n.chain_prev == Some(i)) {
            out.extend(&opts[i + 1]);
        }
        out
    }

    /// True when one of the list mates lies in the same district as `p`: two names of one
    /// district listed together support each other, even when both are common words.
    fn mate_of_district(&self, p: &Place, mates: &[PlaceId]) -> bool {
        p.admin2_pcode.as_ref().is_some_and(|a2| {
            mates.iter().any(|&m| {
                let m = self.place(m);
                m.id != p.id && !m.kind.is_admin() && m.admin2_pcode.as_ref() == Some(a2)
            })
        })
    }

    fn decide_all(
        &self,
        cands: &[Candidate],
        opts: &[Vec<PlaceId>],
        ctx: &Context,
        accepted_before: &[bool],
    ) -> Vec<Option<Decision>> {
        let mut out: Vec<Option<Decision>> = Vec::with_capacity(cands.len());
        for (i, c) in cands.iter().enumerate() {
            if opts[i].is_empty() || self.names[c.name].phrase {
                out.push(None);
                continue;
            }
            let mates = self.list_mates(i, cands, opts);
            let d = self.decide(i, c, &opts[i], &mates, ctx, cands, accepted_before, &out);
            out.push(Some(d));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        i: usize,
        c: &Candidate,
        opts: &[PlaceId],
        mates: &[PlaceId],
        ctx: &Context,
        cands: &[Candidate],
        accepted_before: &[bool],
        decided: &[Option<Decision>],
    ) -> Decision {
        let pos = c.span.start;
        let mut scored: Vec<(f64, PlaceId)> = opts
            .iter()
            .map(|&id| {
                let p = self.place(id);
                let bonus = if self.mate_of_district(p, mates) {
                    LIST_MATE
                } else {
                    0.0
                };
                (self.score(p, pos, ctx, i) + bonus, id)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let place_id = scored[0].1;
        let place = self.place(place_id);
        let alternatives: Vec<PlaceId> = scored.iter().skip(1).take(5).map(|s| s.1).collect();
        let why_place = if scored.len() == 1 {
            Cow::Borrowed("the only place of that name")
        } else if scored[0].0 > scored[1].0 + 0.25 {
            Cow::Owned(format!(
                "{} places of that name; this one fits the other places in the report",
                scored.len()
            ))
        } else {
            Cow::Owned(format!(
                "{} places of that name; the most prominent",
                scored.len()
            ))
        };
        let name = &self.names[c.name];
        let reject = |why: Cow<'static, str>| Decision {
            place: place_id,
            alternatives: alternatives.clone(),
            accepted: false,
            why_accepted: why,
            why_place: why_place.clone(),
        };
        if let Some(why) = &c.person {
            return reject(why.clone().into());
        }
        if name.person && c.strong() != Some(CueKind::Settlement) {
            return reject("a well-known person's name".into());
        }
        if name.family && c.strong().is_none() {
            return reject("a family name".into());
        }
        if place.relative.is_some() {
            return Decision {
                place: place_id,
                alternatives,
                accepted: true,
                why_accepted: "names a part of the governorate in context".into(),
                why_place,
            };
        }
        // A list member whose neighbour in the list is accepted, in the same governorate.
        let chain_ok = {
            let mut ok = false;
            let same_area = |j: usize| {
                let accepted = accepted_before.get(j).copied().unwrap_or(false)
                    || decided
                        .get(j)
                        .and_then(|d| d.as_ref())
                        .is_some_and(|d| d.accepted);
                let other = decided
                    .get(j)
                    .and_then(|d| d.as_ref())
                    .map(|d| self.place(d.place).admin1_pcode.clone());
                accepted
                    && other
                        .flatten()
                        .is_some_and(|a| Some(a) == place.admin1_pcode)
            };
            if let Some(p) = c.chain_prev {
                ok |= same_area(p);
            }
            if cands.get(i + 1).is_some_and(|n| n.chain_prev == Some(i)) {
                ok |= accepted_before.get(i + 1).copied().unwrap_or(false);
            }
            ok
        };
        let accept = |why: Cow<'static, str>| Decision {
            place: place_id,
            alternatives: alternatives.clone(),
            accepted: true,
            why_accepted: why,
            why_place: why_place.clone(),
        };
        if let Some(kind) = c.strong() {
            let via = if c.inherited.is_some() && c.cues.is_empty() {
                " (from the list it is in)"
            } else {
                ""
            };
            return accept(format!("a {kind:?} cue{via}").to_lowercase().into());
        }
        let mate = self.mate_of_district(place, mates);
        let weak = c.weak() || chain_ok || mate;
        if self.is_common(c, opts) {
            // «بإسقاط النظام»: a proclitic preposition on a common word is the word's own
            // grammar; only a preposition written apart supports it.
            if !(c.preposition_word() || chain_ok || mate) {
                return reject("a common word or short name without a cue".into());
            }
            if mate {
                return accept(
                    "a common word or short name, listed with a place of its district".into(),
                );
            }
            return match self.support(place, pos, ctx, i, true) {
                Some(s) => accept(
                    format!("a common word or short name, with a preposition and {s}").into(),
                ),
                None => {
                    reject("a common word or short name with no place of its area nearby".into())
                }
            };
        }
        if self.safe_name(c, place) {
            let why: Cow<'static, str> = if name.words >= 2 {
                "a name of several words".into()
            } else if place.rank <= 2
                || matches!(place.kind, PlaceKind::Governorate | PlaceKind::District)
            {
                format!("a prominent place (rank {})", place.rank).into()
            } else if matches!(
                place.kind,
                PlaceKind::Region | PlaceKind::Landmark | PlaceKind::Foreign | PlaceKind::Country
            ) {
                format!("the name of a {}", place.kind).into()
            } else {
                "a long name of one place only".into()
            };
            return accept(why);
        }
        if mate {
            return accept("listed with a place of its district".into());
        }
        if weak {
            return accept("a preposition before it".into());
        }
        match self.support(place, pos, ctx, i, false) {
            Some(s) => accept(s.into()),
            None => reject("a short or ambiguous name with no cue and no place of its area".into()),
        }
    }

    /// Which candidates stand in a bare list of at least [`PROVINCE_LIST`] governorates'
    /// names («في دير الزور والحسكة والرقة»): a list of provinces, not of their capitals.
    fn listed_provinces(&self, cands: &[Candidate], decisions: &[Option<Decision>]) -> Vec<bool> {
        let provincial = |i: usize| {
            decisions[i].as_ref().is_some_and(|d| {
                let p = self.place(d.place);
                d.accepted
                    && cands[i].kind_cue().is_none()
                    && (p.kind == PlaceKind::Governorate
                        || (p.kind == PlaceKind::Community && p.rank <= 1))
            })
        };
        let mut out = vec![false; cands.len()];
        let mut start = 0;
        while start < cands.len() {
            let mut end = start;
            while end + 1 < cands.len() && cands[end + 1].chain_prev == Some(end) {
                end += 1;
            }
            if end + 1 - start >= PROVINCE_LIST && (start..=end).all(provincial) {
                out[start..=end].fill(true);
            }
            start = end + 1;
        }
        out
    }

    /// Makes a capital's mention its governorate's, at governorate precision.
    fn as_governorate(&self, m: &mut PlaceMention) {
        let place = self.place(m.place);
        if let Some(&gov) = place
            .admin1_pcode
            .as_ref()
            .and_then(|g| self.governorates.get(g))
        {
            m.place = gov;
            m.geo_precision = GeoPrecision::Region;
            m.reason = format!("{}; listed with other provinces", m.reason);
        }
    }

    /// The mention for an accepted decision (its `aside` is set by the caller, which sees the
    /// other candidates): relative entries take the governorate in
    /// context; «ريف X» becomes X's governorate (precision 3) when X is a governorate or its
    /// capital, else stays X with precision 2; «قرب»/«شمال» keep the place with precision 2.
    fn mention(
        &self,
        original: &str,
        normalized: &Normalized,
        c: &Candidate,
        d: &Decision,
        ctx: &Context,
    ) -> Option<PlaceMention> {
        let mut place = self.place(d.place);
        let mut precision = place.precision;
        let mut why = format!("{}; {}", d.why_accepted, d.why_place);
        if let Some(rel) = place.relative {
            let gov_code = ctx.nearest_governorate(c.span.start)?.to_string();
            let gov = self.governorates.get(&gov_code).map(|&id| self.place(id))?;
            place = match rel {
                Relative::Governorate => gov,
                Relative::Capital => self
                    .capitals
                    .get(&gov_code)
                    .map_or(gov, |&id| self.place(id)),
                Relative::Part(dir) => self
                    .parts
                    .get(&(gov_code.clone(), dir))
                    .map_or(gov, |&id| self.place(id)),
            };
            precision = if rel == Relative::Capital {
                GeoPrecision::Place
            } else {
                GeoPrecision::Region
            };
            why = format!("{why}; the governorate in context is {}", gov.name_en);
        } else if c.rural() {
            if place.kind == PlaceKind::Governorate {
                precision = GeoPrecision::Region;
            } else if place.rank <= 1 && !place.foreign {
                if let Some(gov) = place
                    .admin1_pcode
                    .as_ref()
                    .and_then(|g| self.governorates.get(g))
                {
                    place = self.place(*gov);
                    precision = GeoPrecision::Region;
                    why = format!("{why}; the countryside of a capital is its governorate");
                }
            } else {
                precision = precision.max(GeoPrecision::Near);
            }
        }
        if c.near() {
            precision = precision.max(GeoPrecision::Near);
        }
        let cue_span = match (c.cues.last(), c.cues.first()) {
            (Some(outer), Some(inner)) => Some(NormSpan::new(outer.span.start, inner.span.end)),
            _ => None,
        };
        let cue_span = match (cue_span, c.suffix.filter(|_| c.rural())) {
            (Some(cs), Some(suffix)) => Some(cs.cover(suffix)),
            (cs, _) => cs,
        };
        let cue_orig = cue_span.map(|n| normalized.to_original_with_marks(n));
        let span = normalized.to_original_with_marks(c.span);
        Some(PlaceMention {
            aside: false,
            span,
            place: place.id,
            geo_precision: precision,
            cue: cue_orig.map(|s| original[s].to_string()),
            cue_span: cue_orig,
            reason: why,
            alternatives: d
                .alternatives
                .iter()
                .copied()
                .filter(|&a| a != place.id)
                .collect(),
        })
    }
}
