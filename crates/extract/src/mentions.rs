//! The mention stage: every actor, source, trigger, cue, quantity, date and place a report
//! names, each a span of the original text.

use rasd_arabic::{DateMention, Normalized, NumberParser, Quantity, Token};
use rasd_core::{ActorType, CountWhat, Estimate, Span, SubEventType};
use rasd_gazetteer::PlaceMention;

use crate::lexicon::{FirstWords, PhraseLexicon};
use crate::words::{word_at, PhraseStarts, Word};

/// A trigger entry of `data/lexicon/triggers.tsv`.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// The sub-event type it names.
    pub sub_event_type: SubEventType,
    /// Sub-event types chosen by the acting side's actor type (state forces regain territory;
    /// a crowd's attack is mob violence).
    pub by_actor: Vec<(Vec<ActorType>, SubEventType)>,
    /// What a number attached to it counts.
    pub counts: Option<CountWhat>,
    /// Strength in 0..1; under [`WEAK_TRIGGER`] it yields to stronger triggers.
    pub weight: f32,
}

/// Triggers weaker than this make an event only when no stronger one stands in the sentence.
pub const WEAK_TRIGGER: f32 = 0.5;

/// What a cue of `data/lexicon/cues.tsv` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueKind {
    /// Denied or did not happen.
    Negated,
    /// Possible, rumoured.
    Hedged,
    /// Planned, called for, threatened.
    Planned,
    /// Attributed to a source.
    Reported,
    /// Recalled from earlier years.
    Background,
    /// Recent: outweighs a background cue («كانت قد شهدت الأيام الأخيرة»).
    Recent,
    /// A count of many incidents, not one event.
    Aggregate,
    /// The sentence tells of no conflict (a road accident).
    Unrelated,
    /// Looks like a trigger but names no event.
    Blocked,
    /// Before a definite trigger, refers back to an event already told («عقب الاشتباك»): it
    /// joins that event, or names none.
    Refers,
}

/// Where a cue must stand relative to the trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueScope {
    /// Before the trigger, at most this many words before (None = anywhere before).
    Before(Option<usize>),
    /// After the trigger, at most this many words after.
    After(usize),
    /// Anywhere in the sentence.
    Sentence,
    /// At most this many words before or after the trigger.
    Near(usize),
    /// The cue covers the trigger.
    Over,
}

/// A cue entry.
#[derive(Clone, Copy, Debug)]
pub struct Cue {
    /// What it does.
    pub kind: CueKind,
    /// Where it applies.
    pub scope: CueScope,
}

/// A count-noun entry of `data/lexicon/count_nouns.tsv`.
#[derive(Clone, Copy, Debug)]
pub struct CountNoun {
    /// What the number counts.
    pub what: CountWhat,
    /// True when the word precedes the number («مقتل ثلاثة»).
    pub before: bool,
}

/// A role marker of `data/lexicon/roles.tsv`: the actor right after it acts or is acted upon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleMarker {
    /// True for the acting side, false for the side acted upon.
    pub agent: bool,
    /// Words allowed between the marker and the actor.
    pub gap: usize,
}

/// An actor entry of `data/lexicon/actors.tsv`.
#[derive(Clone, Debug)]
pub struct ActorEntry {
    /// Canonical (English, ACLED-style) name.
    pub name: String,
    /// ACLED actor type.
    pub inter: ActorType,
}

/// A source entry of `data/lexicon/sources.tsv`.
#[derive(Clone, Debug)]
pub struct SourceEntry {
    /// Canonical name.
    pub name: String,
    /// agency, outlet, monitor, local, official, witness, organisation.
    pub kind: String,
}

/// A trigger found in the text.
#[derive(Clone, Debug)]
pub struct TriggerMention {
    /// Where.
    pub span: Span,
    /// Words `start..end`.
    pub words: (usize, usize),
    /// The entry.
    pub trigger: Trigger,
}

/// A cue found in the text.
#[derive(Clone, Copy, Debug)]
pub struct CueMention {
    /// Where.
    pub span: Span,
    /// Words `start..end`.
    pub words: (usize, usize),
    /// The entry.
    pub cue: Cue,
}

/// An actor named in the text: from the lexicon (with a canonical name) or by its shape
/// («فصائل ...», «قوات ...») with only its Arabic text.
#[derive(Clone, Debug)]
pub struct ActorMention {
    /// Where.
    pub span: Span,
    /// Words `start..end`.
    pub words: (usize, usize),
    /// Canonical name, when the lexicon knows the actor.
    pub name: Option<String>,
    /// ACLED actor type.
    pub inter: ActorType,
    /// As written.
    pub text: String,
    /// The role a marker before it gives: `Some(true)` acting, `Some(false)` acted upon.
    pub agent: Option<bool>,
    /// Written with the possessive ل («حاجزاً لقوات الأمن»): the owner of what is named before
    /// it, which acts only when it directly follows the trigger («قصف لقوات النظام»).
    pub possessive: bool,
}

/// A source or attribution named in the text.
#[derive(Clone, Debug)]
pub struct SourceMention {
    /// Where.
    pub span: Span,
    /// Canonical name.
    pub name: String,
    /// Kind of source.
    pub kind: String,
    /// As written.
    pub text: String,
}

/// A number with what it counts.
#[derive(Clone, Debug)]
pub struct QuantityMention {
    /// The number (and the counted noun, when one follows).
    pub span: Span,
    /// The number alone.
    pub number_span: Span,
    /// best/low/high.
    pub estimate: Estimate,
    /// What it counts, when a noun or a preceding word says.
    pub what: Option<CountWhat>,
}

/// All mentions of one report.
#[derive(Clone, Debug, Default)]
pub struct Mentions {
    /// Event triggers.
    pub triggers: Vec<TriggerMention>,
    /// Modality, background and aggregate cues.
    pub cues: Vec<CueMention>,
    /// Actors.
    pub actors: Vec<ActorMention>,
    /// Sources and attributions.
    pub sources: Vec<SourceMention>,
    /// Numbers.
    pub quantities: Vec<QuantityMention>,
    /// Dates.
    pub dates: Vec<DateMention>,
    /// Places (resolved by the gazetteer).
    pub places: Vec<PlaceMention>,
}

impl Mentions {
    /// Puts every layer in text order (by start, then end), as the event stage expects.
    pub fn sort_by_position(&mut self) {
        self.triggers.sort_by_key(|m| m.span);
        self.cues.sort_by_key(|m| m.span);
        self.actors.sort_by_key(|m| m.span);
        self.sources.sort_by_key(|m| m.span);
        self.quantities.sort_by_key(|m| m.span);
        self.dates.sort_by_key(|m| m.span);
        self.places.sort_by_key(|m| m.span);
    }
}

/// The lexicons the mention stage matches.
#[derive(Clone, Debug)]
pub struct Lexicons {
    /// Event triggers.
    pub triggers: PhraseLexicon<Trigger>,
    /// Cues.
    pub cues: PhraseLexicon<Cue>,
    /// Words that say what a number counts.
    pub count_words: PhraseLexicon<CountNoun>,
    /// Actors with canonical names.
    pub actors: PhraseLexicon<ActorEntry>,
    /// Heads of actor-shaped phrases.
    pub actor_heads: PhraseLexicon<ActorType>,
    /// Function words that end an actor-shaped phrase.
    pub function_words: PhraseLexicon<()>,
    /// Phrases that open a line of page furniture («رابط الخبر»).
    pub furniture: PhraseLexicon<()>,
    /// Words after which a list of places names no event's places («مثل», «بين»).
    pub list_markers: PhraseLexicon<()>,
    /// Words that open a new clause as a comma does («كما», «بينما», «فيما»).
    pub clause_openers: PhraseLexicon<()>,
    /// Verbs that open a clause naming what the event before reached («طالت», «شملت»).
    pub strike_reach: PhraseLexicon<()>,
    /// Nouns that make a number a count of things («دقيقة», «مروحيات»), not of people.
    pub measure_nouns: PhraseLexicon<()>,
    /// Nouns that name an operation when a quoted name follows («معركة "…"», «عملية "…"»).
    pub operation_nouns: PhraseLexicon<()>,
    /// Direction adjectives («الشرقي») as (north-south, east-west) signs.
    pub directions: PhraseLexicon<(i8, i8)>,
    /// Sources.
    pub sources: PhraseLexicon<SourceEntry>,
    /// Role markers.
    pub roles: PhraseLexicon<RoleMarker>,
    /// The widest gap any role marker allows.
    pub max_role_gap: usize,
    /// Singular and dual nouns for people, with the number they carry.
    pub person_nouns: PhraseLexicon<u64>,
    /// Nouns for what an actor owns («دورية», «سيارة»): «دورية لقوات النظام» names the owner.
    pub owned_objects: PhraseLexicon<()>,
    /// Suffixes a lexicon word may carry.
    pub enclitics: Vec<String>,
    /// The first words of all the lexicons above, numbered ([`Lexicons::number_first_words`]).
    pub first_words: FirstWords,
}

/// The conjunction «و» that joins a coordinated list («الخطف والاعتقال», «امرأة وثلاثة أطفال»).
pub(crate) const COORDINATOR: char = 'و';

/// The sum of two estimates.
fn add(a: Estimate, b: Estimate) -> Estimate {
    Estimate {
        best: a.best.saturating_add(b.best),
        low: a.low.saturating_add(b.low),
        high: a.high.saturating_add(b.high),
    }
}

/// The possessive proclitic («لقوات»), and with the article («للأمن» = ل + الأمن).
const POSSESSIVE: char = 'ل';
const POSSESSIVE_ARTICLE: &str = "لل";
const ARTICLE: &str = "ال";
/// The accusative ending (tanween alif, «حاجزاً»), and the preposition proclitic «بـ».
const ACCUSATIVE: char = 'ا';
const PREPOSITION: char = 'ب';

/// «آخرين», «آخرون» (others), normalized: a word between a number and its noun or verb.
const OTHERS: &[&str] = &["اخرين", "اخرون"];

/// Longest quoted name of an operation, in words.
const OPERATION_NAME_WORDS: usize = 8;

/// The marks that may close a quotation `token` opens, if it is an opening quotation mark.
/// Arabic text opens quotations with «, “ or ", and often with ” or „ too, and closes curly
/// quotations with either curly mark.
fn quote_closers(token: &str) -> Option<&'static [char]> {
    match token {
        "«" => Some(&['»']),
        "“" | "”" | "„" => Some(&['”', '“']),
        "\"" => Some(&['"']),
        _ => None,
    }
}

/// Longest actor-shaped phrase: the head and at most this many words after it.
const ACTOR_SHAPE_WORDS: usize = 3;

impl Lexicons {
    /// Numbers the first words of every lexicon in one [`FirstWords`] index, which the words
    /// of a report are then built with. Call it after the lexicons are loaded.
    pub fn number_first_words(&mut self) {
        let mut first = FirstWords::default();
        first.add(&mut self.triggers);
        first.add(&mut self.cues);
        first.add(&mut self.count_words);
        first.add(&mut self.actors);
        first.add(&mut self.actor_heads);
        first.add(&mut self.function_words);
        first.add(&mut self.furniture);
        first.add(&mut self.list_markers);
        first.add(&mut self.clause_openers);
        first.add(&mut self.strike_reach);
        first.add(&mut self.measure_nouns);
        first.add(&mut self.operation_nouns);
        first.add(&mut self.directions);
        first.add(&mut self.sources);
        first.add(&mut self.roles);
        first.add(&mut self.person_nouns);
        first.add(&mut self.owned_objects);
        self.first_words = first;
    }

    /// The named operations of a report: an operation noun and the quoted name right after
    /// it («معركة "درع نوى"»), from the noun to the closing quote, each as one span.
    /// A quote left open for more than [`OPERATION_NAME_WORDS`] words names nothing.
    pub fn named_operations(&self, words: &[Word]) -> Vec<Span> {
        let mut out = Vec::new();
        for found in self.operation_nouns.matches(words) {
            let Some(closers) = words.get(found.end).and_then(|w| quote_closers(w.text)) else {
                continue;
            };
            let close = words
                .iter()
                .enumerate()
                .skip(found.end + 1)
                .take(OPERATION_NAME_WORDS + 1)
                .find(|(_, w)| w.text.starts_with(closers));
            if let Some((close, _)) = close {
                out.push(Span::new(found.span.start, words[close].span.end));
            }
        }
        out
    }

    /// Actors: lexicon entries first; actor-shaped phrases where no entry stands.
    /// `trigger_starts` are the words where triggers start, which tell a possessed subject
    /// («داهمت دورية للأمن») from an object.
    pub fn actors(
        &self,
        text: &str,
        words: &[Word],
        trigger_starts: &[usize],
    ) -> Vec<ActorMention> {
        let mut out: Vec<ActorMention> = self
            .actors
            .find_all(words)
            .into_iter()
            .map(|m| ActorMention {
                span: m.span,
                words: (m.start, m.end),
                name: Some(m.value.name.clone()),
                inter: m.value.inter,
                text: text[m.span].to_string(),
                agent: None,
                possessive: false,
            })
            .collect();
        for head in self.actor_heads.find_all(words) {
            if out
                .iter()
                .any(|a| a.words.0 < head.end && head.start < a.words.1)
            {
                continue;
            }
            let mut end = head.end;
            while end < words.len()
                && end - head.end < ACTOR_SHAPE_WORDS
                && words[end].is_word
                && !words[end].text.chars().all(|c| c.is_ascii_digit())
                && self.function_words.longest_at(words, end).is_none()
                && self.triggers.longest_at(words, end).is_none()
                && !out.iter().any(|a| a.words.0 == end)
            {
                end += 1;
            }
            if end == head.end {
                // A bare head («قوات») names no one in particular.
                continue;
            }
            let span = Span::new(words[head.start].span.start, words[end - 1].span.end);
            out.push(ActorMention {
                span,
                words: (head.start, end),
                name: None,
                inter: *head.value,
                text: text[span].to_string(),
                agent: None,
                possessive: false,
            });
        }
        out.sort_by_key(|a| a.span);
        for actor in &mut out {
            actor.agent = self.role_before(words, actor.words.0);
            let first = &words[actor.words.0];
            let possessive = first.text.starts_with(POSSESSIVE)
                && first.stems().skip(1).any(|stem| {
                    first
                        .text
                        .strip_prefix(POSSESSIVE)
                        .is_some_and(|rest| rest == stem)
                        || first.text.starts_with(POSSESSIVE_ARTICLE) && stem.starts_with(ARTICLE)
                });
            // The owner of an object: the possessed noun is accusative («حاجزاً لقوات الأمن»)
            // or follows a preposition («بسيارة عسكرية لقوات النظام»).
            let before = |back: usize| actor.words.0.checked_sub(back).map(|i| &words[i]);
            // Or it is a thing actors own, hit by the event («استهدفت عبوة دورية لقوات
            // النظام»), unless it is the subject right after a verb: «داهمت دورية للأمن»,
            // «أطلق عناصر حاجز للفرقة الرابعة النار» (a clause's first word is its verb).
            actor.possessive = possessive
                && (self.owned_before(words, actor.words.0, trigger_starts)
                    || before(1).is_some_and(|w| w.is_word && w.text.ends_with(ACCUSATIVE))
                    || [1, 2].into_iter().filter_map(before).any(|w| {
                        w.is_word && w.text.starts_with(PREPOSITION) && w.stems().count() > 1
                    }));
        }
        out
    }

    /// Whether one of the two words before word `at` is a noun for a thing actors own (or a
    /// run of them: «عناصر حاجز») that is not the subject right after a verb.
    fn owned_before(&self, words: &[Word], at: usize, trigger_starts: &[usize]) -> bool {
        [1, 2]
            .into_iter()
            .filter_map(|back| at.checked_sub(back))
            .find(|&i| self.owned_at(words, i))
            .is_some_and(|mut i| {
                while i > 0 && self.owned_at(words, i - 1) {
                    i -= 1;
                }
                let verb = i
                    .checked_sub(1)
                    .filter(|&v| trigger_starts.contains(&v) || v == 0 || !words[v - 1].is_word);
                verb.is_none()
            })
    }

    /// Whether word `i` is a noun for a thing actors own.
    fn owned_at(&self, words: &[Word], i: usize) -> bool {
        self.owned_objects
            .longest_at(words, i)
            .is_some_and(|(end, _)| end == i + 1)
    }

    /// The role a marker standing just before word `start` gives («على يد», «ضد»).
    fn role_before(&self, words: &[Word], start: usize) -> Option<bool> {
        let max_gap = 3;
        (start.saturating_sub(max_gap + 2)..start)
            .rev()
            .find_map(|j| {
                let (end, marker) = self.roles.longest_at(words, j)?;
                (end <= start && start - end <= marker.gap).then_some(marker.agent)
            })
    }

    /// Numbers with what they count; coordinated counts of people added up.
    pub fn quantities(
        &self,
        numbers: &NumberParser,
        normalized: &Normalized,
        tokens: &[Token],
        starts: &PhraseStarts,
        words: &[Word],
    ) -> Vec<QuantityMention> {
        let found = numbers
            .find_in_tokens_with_starts(normalized, tokens, Some(&starts.numbers))
            .into_iter()
            .filter(|q| {
                // «نحو 40 دقيقة», «أربع مروحيات»: things, not people.
                let after = word_at(words, q.span.end);
                self.measure_nouns.longest_at(words, after).is_none()
            })
            .map(|q: Quantity| {
                let first = word_at(words, q.span.start);
                let after = word_at(words, q.span.end);
                let mut span = q.span;
                let mut what = None;
                // «مقتل ثلاثة» / «أسفر عن مقتل ثلاثة»: a word ending right before the number.
                for back in 1..=2 {
                    if let Some(j) = first.checked_sub(back) {
                        if let Some((end, w)) = self.count_words.longest_at(words, j) {
                            // «مقتل ثلاثة» or, with the noun first, «مقتل مدنيين اثنين».
                            let noun_between = end + 1 == first
                                && self
                                    .count_words
                                    .longest_at(words, end)
                                    .is_some_and(|(_, n)| !n.before);
                            if (end == first || noun_between) && w.before {
                                what = Some(w.what);
                                break;
                            }
                        }
                    }
                }
                // «خمسة عناصر», «العشرات من المعتقلين».
                let mut noun_at = after;
                if words.get(noun_at).is_some_and(|w| w.text == "من") {
                    noun_at += 1;
                }
                // «7 آخرين قتلوا»: «others» stands between a number and what befell them.
                if words.get(noun_at).is_some_and(|w| OTHERS.contains(&w.text))
                    && self.count_words.longest_at(words, noun_at + 1).is_some()
                {
                    noun_at += 1;
                }
                if let Some((end, w)) = self.count_words.longest_at(words, noun_at) {
                    if !w.before {
                        span = span.cover(words[end - 1].span);
                        what = what.or(Some(w.what));
                    }
                }
                QuantityMention {
                    span,
                    number_span: q.span,
                    estimate: q.estimate,
                    what,
                }
            })
            .chain(self.implicit_counts(words))
            .collect::<Vec<_>>();
        self.add_coordinated(words, found)
    }

    /// Coordinated victims add up: «امرأة وثلاثة أطفال» is four, «ثلاثة عناصر وضابط» four.
    /// A number or a singular or dual noun for people right after another count, joined by
    /// «و», is added to it (and its span taken in).
    fn add_coordinated(
        &self,
        words: &[Word],
        mut found: Vec<QuantityMention>,
    ) -> Vec<QuantityMention> {
        found.sort_by_key(|q| q.span);
        let people = |w: Option<CountWhat>| {
            !matches!(
                w,
                Some(CountWhat::Injured | CountWhat::Detainees | CountWhat::Released)
            )
        };
        let mut out: Vec<QuantityMention> = Vec::with_capacity(found.len());
        let mut rest = found.into_iter().peekable();
        while let Some(mut q) = rest.next() {
            loop {
                let next = word_at(words, q.span.end);
                let Some(word) = words.get(next).filter(|w| {
                    w.is_word && w.text.starts_with(COORDINATOR) && w.text.chars().count() > 1
                }) else {
                    break;
                };
                let joined_number = rest.peek().is_some_and(|n| {
                    word.span.contains(n.span)
                        || n.span.start >= word.span.start && n.span.start < word.span.end
                });
                if joined_number {
                    let Some(n) = rest.next_if(|n| people(n.what) && people(q.what)) else {
                        break;
                    };
                    q.estimate = add(q.estimate, n.estimate);
                    q.span = q.span.cover(n.span);
                    q.what = q.what.or(n.what);
                    continue;
                }
                let Some((end, n)) = self.person_nouns.longest_at(words, next) else {
                    break;
                };
                if !people(q.what) {
                    break;
                }
                q.estimate = add(q.estimate, Estimate::exact(*n));
                q.span = q.span.cover(words[end - 1].span);
            }
            out.push(q);
        }
        out
    }

    /// Counts hidden in singular and dual nouns after a word that says what is counted:
    /// «مقتل شاب» (1 killed), «اعتقال شابين» (2 detained).
    fn implicit_counts<'w>(
        &'w self,
        words: &'w [Word],
    ) -> impl Iterator<Item = QuantityMention> + 'w {
        (0..words.len()).filter_map(move |i| {
            let (end, cue) = self.count_words.longest_at(words, i)?;
            if !cue.before {
                return None;
            }
            let (noun_end, n) = self.person_nouns.longest_at(words, end)?;
            let span = words[end].span.cover(words[noun_end - 1].span);
            Some(QuantityMention {
                span,
                number_span: span,
                estimate: Estimate::exact(*n),
                what: Some(cue.what),
            })
        })
    }

    /// The number a singular or dual noun for people carries, within `window` words after
    /// word `from` («اغتال مسلحون مختار البلدة» → 1).
    pub fn person_count_after(
        &self,
        words: &[Word],
        from: usize,
        window: usize,
    ) -> Option<(u64, Span)> {
        (from..words.len().min(from + window)).find_map(|j| {
            let (end, n) = self.person_nouns.longest_at(words, j)?;
            Some((*n, words[j].span.cover(words[end - 1].span)))
        })
    }

    /// Sources and attributions.
    pub fn sources(&self, text: &str, words: &[Word]) -> Vec<SourceMention> {
        self.sources
            .find_all(words)
            .into_iter()
            .map(|m| SourceMention {
                span: m.span,
                name: m.value.name.clone(),
                kind: m.value.kind.clone(),
                text: text[m.span].to_string(),
            })
            .collect()
    }
}
