//! The event stage: one candidate per trigger, its arguments attached inside the sentence
//! (or carried from the sentences before it), its modality from the cues around it, then one
//! event per incident, place and day under ACLED's hierarchy.
//!
//! Rules, each with an example and its known failure:
//! - **Place.** The most precise place named in the trigger's sentence, the nearest of those
//!   (after the trigger first, as Arabic names the place after the verb); else the place the
//!   report last named. «معارك في قرية الجلمة بريف حماة» is coded to the village, not the
//!   governorate. An event known only at country level is not recorded (ACLED). Fails when
//!   one sentence names two incidents in two villages.
//! - **Date.** A date in the sentence, else the date the report last named, else the
//!   publication day. Background (a year before publication, «كانت قد») takes its own year;
//!   background without a year of its own is not recorded.
//! - **Actors.** A role marker decides where there is one («على يد» acts, «ضد» is acted upon,
//!   «بين X و Y» puts X first); else the actor before the trigger (subject-verb), else the one
//!   just after it (verb-subject: «سيطرت فصائل المعارضة»). Protests and riots put the
//!   protesters or rioters first (`data/lexicon/event_roles.tsv`).
//! - **One incident.** Candidates with one place, day, factuality and background are one
//!   incident when they have the same sub-event type or `data/lexicon/hierarchy.tsv` combines
//!   them («تفريق» + «مظاهرة» = protest with intervention); a weak trigger (such as «مقتل»)
//!   is absorbed by any stronger one of its incident. Fails when a report tells two separate
//!   incidents of related types in one town on one day.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use rasd_core::{
    event_id, interaction_code, ActorType, Count, CountWhat, DatePrecision, Document, Estimate,
    Event, EventType, Evidence, GeoPrecision, Modality, SourceRef, Span, SubEventType,
};
use rasd_gazetteer::{Gazetteer, PlaceKind, PlaceMention};

use crate::confidence::ConfidenceModel;
use crate::layout::Layout;
use crate::lexicon::PhraseLexicon;
use crate::mentions::{
    ActorMention, CueKind, CueMention, CueScope, Lexicons, Mentions, QuantityMention,
    TriggerMention, COORDINATOR, WEAK_TRIGGER,
};
use crate::words::{word_at, Word};

/// ACLED's coding rules the event stage applies, loaded from data files.
#[derive(Clone, Debug, Default)]
pub struct CodingRules {
    /// Two sub-event types of one incident → the one it is coded as.
    pub hierarchy: HashMap<(SubEventType, SubEventType), SubEventType>,
    /// Default first actor (name, type) of protests and riots.
    pub default_actor: HashMap<SubEventType, (String, ActorType)>,
    /// First actor (name, type) of an event whose report names no acting side.
    pub unnamed_actor: HashMap<EventType, (String, ActorType)>,
    /// The chance that an event is right.
    pub confidence: ConfidenceModel,
}

impl CodingRules {
    fn combine(&self, a: SubEventType, b: SubEventType) -> Option<SubEventType> {
        if a == b {
            return Some(a);
        }
        self.hierarchy
            .get(&(a, b))
            .or_else(|| self.hierarchy.get(&(b, a)))
            .copied()
    }
}

/// Words after a killing trigger in which a singular or dual noun gives the number killed.
const VICTIM_WINDOW: usize = 6;

/// The definite article: a trigger noun that carries it («الاجتماع») may refer back to an
/// event the report already told.
const ARTICLE: &str = "ال";

/// The most people one event may count: a larger number is a toll of a war or a period, or
/// a population («ملايين»), never one incident's.
const MAX_EVENT_FATALITIES: u64 = 2_000;

/// Days before publication within which a date is news, not a recollection.
const RECENT_DAYS: i64 = 60;

/// Words around a year of earlier times («انطلقت عام 2011») within which a trigger is a
/// recollection of that year.
const YEAR_REACH: usize = 8;

/// An event before merging.
#[derive(Clone, Debug)]
struct Candidate {
    sub: SubEventType,
    trigger: Span,
    sentence: Span,
    weight: f32,
    place: Option<PlaceMention>,
    date: Option<(NaiveDate, DatePrecision, Option<Span>)>,
    actor1: Option<ActorMention>,
    actor2: Option<ActorMention>,
    count: Option<(Count, Span)>,
    fatalities: Option<(Estimate, Span)>,
    injured: Option<(Estimate, Span)>,
    modality: Modality,
    modality_cue: Option<Span>,
    background: bool,
    sources: Vec<(String, String, String, Span)>,
    /// The trigger is a definite noun («الاجتماع»): it may refer back to an event already told.
    definite: bool,
    /// The trigger's sentence names a place (else the place is carried from before).
    place_in_sentence: bool,
    /// Triggers and sentences of the candidates merged into this one.
    also: Vec<(Span, Span)>,
    /// The sentences of `also`, for a quick look-up.
    told_in: rustc_hash::FxHashSet<Span>,
    /// Told in the headline, which the body tells again in detail.
    headline: bool,
    /// Its type comes from a bare killing («قتل», «مقتل»), a weak trigger that names no
    /// weapon: who was killed decides whether it was an attack or a fight.
    bare_killing: bool,
    /// A headline candidate that body sentences at its place have joined: an incident the body
    /// tells there, not only a summary of the report.
    body_told: bool,
    /// The side of a governorate its place names («ريف حمص الشرقي»), as (north-south,
    /// east-west) signs.
    side: Option<(i8, i8)>,
    /// One of the places of a list the trigger names («الحولة وتلبيسة»): an event of its own.
    listed: bool,
    /// Which clause of its sentence the trigger is in, counted at clause openers («في حين»,
    /// «بالتزامن مع», «وسط»), not at commas.
    clause: usize,
    /// A definite trigger after «عقب», «بعد», «إثر»: it refers back to an event already told
    /// when there is one, whatever place its sentence names for something else.
    refers: bool,
}

/// What the event stage reads of one report.
pub struct Inputs<'a> {
    /// The report.
    pub doc: &'a Document,
    /// Its headline, datelines and page furniture.
    pub layout: &'a Layout,
    /// Its sentences.
    pub sentences: &'a [Span],
    /// Its words.
    pub words: &'a [Word<'a>],
    /// Its mentions.
    pub mentions: &'a Mentions,
    /// The gazetteer the places come from.
    pub gazetteer: &'a Gazetteer,
    /// The lexicons (for victims named by a noun).
    pub lexicons: &'a Lexicons,
    /// ACLED's coding rules.
    pub rules: &'a CodingRules,
}

/// Builds the events of one report from its sentences and mentions.
pub fn build(input: &Inputs<'_>) -> Vec<Event> {
    let Inputs {
        doc,
        sentences,
        mentions,
        gazetteer,
        ..
    } = *input;
    let published = doc.published.map(|p| p.date());
    let mut candidates = Vec::new();
    let mut last_place: Option<&PlaceMention> = None;
    let mut last_date: Option<(NaiveDate, DatePrecision, Span)> = None;
    for &sentence in sentences {
        let inside = |s: Span| sentence.contains(s);
        let triggers: Vec<&TriggerMention> = in_sentence(&mentions.triggers, |t| t.span, sentence)
            .iter()
            .filter(|t| inside(t.span) && !input.layout.off_story(t.span))
            .collect();
        let cues: Vec<&CueMention> = in_sentence(&mentions.cues, |c| c.span, sentence)
            .iter()
            .filter(|c| inside(c.span))
            .collect();
        let places: Vec<&PlaceMention> = in_sentence(&mentions.places, |p| p.span, sentence)
            .iter()
            .filter(|p| {
                // A country alone places no event (ACLED records none at country level); a
                // city or province abroad places an event abroad.
                let place = gazetteer.place(p.place);
                inside(p.span)
                    && !input.layout.off_story(p.span)
                    && place.kind != PlaceKind::Country
            })
            .collect();
        let dates: Vec<_> = in_sentence(&mentions.dates, |d| d.span, sentence)
            .iter()
            .filter(|d| inside(d.span))
            .collect();
        let actors: Vec<&ActorMention> = in_sentence(&mentions.actors, |a| a.span, sentence)
            .iter()
            .filter(|a| inside(a.span))
            .collect();
        let quantities: Vec<&QuantityMention> =
            in_sentence(&mentions.quantities, |q| q.span, sentence)
                .iter()
                .filter(|q| inside(q.span))
                .collect();
        let sources: Vec<_> = in_sentence(&mentions.sources, |s| s.span, sentence)
            .iter()
            .filter(|s| inside(s.span))
            .collect();
        let sentence_date = dates
            .iter()
            .filter(|d| !d.year_only)
            .find_map(|d| d.date.map(|day| (day, d.precision, d.span)));
        let earlier_years: Vec<(i32, Span)> = dates
            .iter()
            .filter_map(|d| {
                let year = d.year.filter(|_| d.year_only)?;
                published
                    .is_some_and(|p| year < p.year())
                    .then_some((year, d.span))
            })
            .collect();
        let openers = &input.lexicons.clause_openers;
        // Commas also fence off a date or an aside («يُعتقد أن الانفجار، فجر اليوم، ناجم
        // عن عبوة»), so modality reaches across them, up to the next clause opener.
        let [clauses, spans_of_modality] = clause_ids(input.words, sentence, openers);
        // The word where the last generic mention ends: «عمليات الخطف والاعتقال» blocks the
        // whole coordinated list, not only its first noun.
        let mut generic_until: Option<usize> = None;
        for trigger in &triggers {
            // Arguments lie near their trigger: only mentions within [`REACH`] bytes of it are
            // weighed, so that a run-on sentence is read in time linear in its length.
            let cues = nearby(&cues, |c| c.span, trigger.span);
            let actors = nearby(&actors, |a| a.span, trigger.span);
            let places = nearby(&places, |p| p.span, trigger.span);
            let quantities = nearby(&quantities, |q| q.span, trigger.span);
            let sources = nearby(&sources, |s| s.span, trigger.span);
            let t = &trigger.trigger;
            // The trigger's own first and last words: a gap in the middle («فجرت … منزل*»)
            // may hold an actor or a place without the trigger being part of its name.
            let ends = [
                input.words[trigger.words.0].span,
                input.words[trigger.words.1 - 1].span,
            ];
            let overlaps = |span: Span| ends.iter().any(|end| span.overlaps(*end));
            let coordinated = generic_until.is_some_and(|end| {
                trigger.words.0 <= end + 1
                    && input.words[trigger.words.0].text.starts_with(COORDINATOR)
            });
            if coordinated
                || cues.iter().any(|c| {
                    c.cue.kind == CueKind::Blocked && (overlaps(c.span) || applies(c, trigger))
                })
            {
                generic_until = Some(trigger.words.1);
                continue;
            }
            let no_event = cues.iter().any(|c| {
                matches!(c.cue.kind, CueKind::Aggregate | CueKind::Unrelated) && applies(c, trigger)
            });
            if no_event
                || actors.iter().any(|a| names_within(a, trigger))
                || places.iter().any(|p| overlaps(p.span))
                || sources.iter().any(|s| overlaps(s.span))
            {
                continue;
            }
            let trigger_clause = clause_of(&spans_of_modality, trigger.words.0);
            let own_clause: Vec<&CueMention> = cues
                .iter()
                .copied()
                .filter(|c| clause_of(&spans_of_modality, c.words.0) == trigger_clause)
                .filter(|c| !hedges_whose_side(c, input.words, &triggers))
                .collect();
            let (mut modality, mut modality_cue) = modality_of(trigger, &own_clause, cues);
            if modality == Modality::Asserted {
                // «أعلن مصدر عسكري أن…»: a source named before the trigger attributes it.
                if let Some(source) = sources.iter().find(|s| s.span.end <= trigger.span.start) {
                    modality = Modality::Reported;
                    modality_cue = Some(source.span);
                }
            }
            // A recent date or cue near the trigger outweighs a recalling cue («كانت قد شهدت
            // الأيام الأخيرة»); a date long before publication is a recollection itself.
            let recent = sentence_date.is_some_and(|(day, _, _)| {
                published.is_none_or(|p| (p - day).num_days() <= RECENT_DAYS)
            }) || cues
                .iter()
                .any(|c| c.cue.kind == CueKind::Recent && applies(c, trigger));
            let old_date = sentence_date.is_some_and(|(day, _, _)| {
                published.is_some_and(|p| (p - day).num_days() > RECENT_DAYS)
            });
            let recalled = old_date
                || (!recent
                    && cues
                        .iter()
                        .any(|c| c.cue.kind == CueKind::Background && applies(c, trigger)));
            let earlier_year = earlier_years.iter().copied().find(|(_, span)| {
                let at = word_at(input.words, span.start);
                at.abs_diff(trigger.words.0) <= YEAR_REACH
            });
            let background = recalled || earlier_year.is_some();
            if background && earlier_year.is_none() && !old_date {
                // Recalled without a year of its own: nothing to date it by.
                continue;
            }
            let (mut actor1, mut actor2) = choose_actors(trigger, actors);
            let acting = actor1.map(|a| a.inter);
            let sub = t
                .by_actor
                .iter()
                .find(|(types, _)| acting.is_some_and(|a| types.contains(&a)))
                .map_or(t.sub_event_type, |(_, sub)| *sub);
            if sub.disorder_type() == rasd_core::DisorderType::PoliticalViolence
                && actor1.is_some_and(|a| a.inter == ActorType::Civilians)
                && actor2.is_some_and(|a| a.inter != ActorType::Civilians)
            {
                // Civilians are the ones harmed, not the ones who strike.
                std::mem::swap(&mut actor1, &mut actor2);
            }
            let armed_side = [actor1, actor2]
                .into_iter()
                .flatten()
                .any(|a| a.name.is_some() && is_armed(a.inter));
            if sub == SubEventType::NonViolentTransferOfTerritory
                && !armed_side
                && !names_ground(trigger, places, &clauses, input.words)
            {
                continue;
            }
            let own = place_of(trigger, places, &clauses, input, gazetteer);
            let place_in_sentence = own.is_some();
            let place = own.or(last_place).cloned();
            let side = place.as_ref().and_then(|p| side_named(p, input));
            let date = if let Some((year, span)) = earlier_year {
                NaiveDate::from_ymd_opt(year, 7, 1).map(|d| (d, DatePrecision::Month, Some(span)))
            } else if let Some((day, precision, span)) = sentence_date {
                Some((day, precision, Some(span)))
            } else if let Some((day, precision, span)) = last_date {
                Some((day, precision, Some(span)))
            } else {
                published.map(|day| (day, DatePrecision::Day, None))
            };
            let (count, mut fatalities, injured) = counts_of(trigger, quantities);
            if fatalities.is_none() && t.counts == Some(CountWhat::Killed) {
                // «قتل مسلحون ثلاثة أشخاص»: the people counted after a killing verb were killed.
                fatalities = quantities
                    .iter()
                    .find(|q| {
                        let at = word_at(input.words, q.span.start);
                        let people = q.what.is_none_or(|w| {
                            matches!(
                                w,
                                CountWhat::Fighters | CountWhat::Civilians | CountWhat::Other
                            )
                        });
                        people && at >= trigger.words.1 && at - trigger.words.1 <= VICTIM_WINDOW
                    })
                    .map(|q| (q.estimate, q.span));
            }
            if fatalities.is_none() && t.counts == Some(CountWhat::Killed) {
                fatalities = input
                    .lexicons
                    .person_count_after(input.words, trigger.words.1, VICTIM_WINDOW)
                    .map(|(n, span)| (Estimate::exact(n), span));
            }
            let count = count.or(fatalities.map(|(e, s)| (Count::new(e, CountWhat::Killed), s)));
            let definite = input.words[trigger.words.0]
                .stems()
                .any(|s| s.starts_with(ARTICLE));
            let refers = definite
                && cues
                    .iter()
                    .any(|c| c.cue.kind == CueKind::Refers && applies(c, trigger));
            let first = candidates.len();
            candidates.push(Candidate {
                sub,
                trigger: trigger.span,
                sentence,
                weight: t.weight,
                place,
                date,
                actor1: actor1.cloned(),
                actor2: actor2.cloned(),
                count,
                fatalities,
                injured,
                modality,
                modality_cue,
                background,
                sources: sources
                    .iter()
                    .map(|s| (s.name.clone(), s.kind.clone(), s.text.clone(), s.span))
                    .collect(),
                definite,
                place_in_sentence,
                also: Vec::new(),
                told_in: rustc_hash::FxHashSet::default(),
                headline: input.layout.in_headline(trigger.span),
                body_told: false,
                bare_killing: t.weight < WEAK_TRIGGER && sub == SubEventType::Attack,
                side,
                listed: false,
                clause: trigger_clause,
                refers,
            });
            // ACLED codes per location: one trigger over a list of villages («قصفت قوات
            // النظام الحولة وتلبيسة») is one event in each. The numbers stay with the first.
            let told_where_it_happens =
                !matches!(sub.event_type(), EventType::StrategicDevelopments);
            if let Some(own) = own
                .filter(|p| precision_rank(p, gazetteer) == 1)
                .filter(|_| told_where_it_happens)
            {
                let siblings = coordinated_places(own, places, input);
                let parts = siblings.len() as u64 + 1;
                let share = |part: u64, c: &mut Candidate| {
                    c.count = c.count.and_then(|(n, s)| Some((split(n, parts, part)?, s)));
                    c.fatalities = c
                        .fatalities
                        .and_then(|(e, s)| Some((split_estimate(e, parts, part)?, s)));
                    c.injured = c
                        .injured
                        .and_then(|(e, s)| Some((split_estimate(e, parts, part)?, s)));
                };
                if !siblings.is_empty() {
                    candidates[first].listed = true;
                }
                for (part, sibling) in (1..).zip(siblings) {
                    let mut copy = candidates[first].clone();
                    copy.place = Some(sibling.clone());
                    share(part, &mut copy);
                    candidates.push(copy);
                }
                share(0, &mut candidates[first]);
            }
        }
        if let Some(place) = places
            .iter()
            .copied()
            .min_by_key(|p| precision_rank(p, gazetteer))
        {
            last_place = Some(place);
        }
        // Only the news day carries to the sentences after it, not a month recalled in passing
        // («أعلن في حزيران 2020 …»).
        if let Some(date) = sentence_date.filter(|d| d.1 == DatePrecision::Day) {
            last_date = Some(date);
        }
    }
    killings_from_context(&mut candidates);
    keep_peaceful_transfers(&mut candidates);
    merge(candidates, input.rules, gazetteer)
        .into_iter()
        .filter(|c| {
            // ACLED records no event known only at country level.
            c.place.as_ref().is_some_and(|m| {
                let p = gazetteer.place(m.place);
                p.admin1_pcode.is_some() || p.foreign
            })
        })
        .map(|c| to_event(doc, c, gazetteer, input.rules))
        .collect()
}

/// A killing told on its own («مقتل 11 عنصراً جراء استهداف مقر في الميادين») in a report
/// whose last strong event before it is a strike or a fight is a toll of that kind of action,
/// not an attack on civilians: it takes that event's type and acting side, and, without a
/// place of its own, its place and day (so that it joins it). A killing beside a strike or
/// fight in its own sentence is that action's toll even where its clause names another town.
/// Whether a withdrawal's own clause (up to a comma or a clause opener) names a place: the
/// ground given up. Without it, only a known armed side's withdrawal hands over territory: «انتخب
/// المجلس في مدينة إدلب رئيساً، بعد انسحاب العضو» hands over none.
fn names_ground(
    trigger: &TriggerMention,
    places: &[&PlaceMention],
    clauses: &[(usize, usize)],
    words: &[Word],
) -> bool {
    let own = clause_of(clauses, trigger.words.0);
    places
        .iter()
        .any(|p| clause_of(clauses, word_at(words, p.span.start)) == own)
}

/// A withdrawal is a non-violent transfer of territory only when its clause tells no fighting
/// or strike: a withdrawal forced by clashes or air raids is the battle's outcome, which the
/// battle's event holds.
fn keep_peaceful_transfers(candidates: &mut Vec<Candidate>) {
    let violent: rustc_hash::FxHashSet<(Span, usize)> = candidates
        .iter()
        .filter(|c| {
            c.modality.is_factual()
                && matches!(
                    c.sub.event_type(),
                    EventType::Battles | EventType::ExplosionsRemoteViolence
                )
        })
        .map(|c| (c.sentence, c.clause))
        .collect();
    candidates.retain(|c| {
        c.sub != SubEventType::NonViolentTransferOfTerritory
            || !violent.contains(&(c.sentence, c.clause))
    });
}

fn killings_from_context(candidates: &mut [Candidate]) {
    let strong = |o: &Candidate| o.weight >= WEAK_TRIGGER;
    let violent = |o: &Candidate| {
        strong(o)
            && !o.background
            && o.modality.is_factual()
            && matches!(
                o.sub.event_type(),
                EventType::Battles | EventType::ExplosionsRemoteViolence
            )
    };
    // Per sentence: its first strike or fight, and whether it tells any strong event (one pass,
    // so that a report of many killings is read in linear time).
    let mut by_sentence: HashMap<Span, (Option<usize>, bool)> = HashMap::new();
    for (i, o) in candidates.iter().enumerate() {
        let entry = by_sentence.entry(o.sentence).or_insert((None, false));
        if violent(o) && entry.0.is_none() {
            entry.0 = Some(i);
        }
        entry.1 |= strong(o);
    }
    let mut last_violent: Option<usize> = None;
    for i in 0..candidates.len() {
        let c = &candidates[i];
        let (own_sentence, any_strong) = by_sentence
            .get(&c.sentence)
            .copied()
            .unwrap_or((None, false));
        let weak_killing =
            c.weight < WEAK_TRIGGER && c.sub == SubEventType::Attack && !c.background;
        let before = last_violent;
        if violent(c) {
            last_violent = Some(i);
        }
        if !weak_killing || (own_sentence.is_none() && any_strong) {
            // Not a bare killing; or its sentence tells another kind of event: merging decides.
            continue;
        }
        // The strike or fight of its own sentence first, else the last one told before it.
        let Some(context) = own_sentence.or(before) else {
            continue;
        };
        let (sub, actor1, place, date) = (
            candidates[context].sub,
            candidates[context].actor1.clone(),
            candidates[context].place.clone(),
            candidates[context].date,
        );
        let c = &mut candidates[i];
        c.sub = sub;
        if c.actor1.is_none() {
            c.actor1 = actor1;
        }
        if !c.place_in_sentence {
            c.place = place;
            c.date = date;
        }
    }
}

/// How far from its trigger, in bytes, an argument of an event may stand: far beyond any
/// real sentence's clause, and a bound on the work each trigger costs.
const REACH: usize = 1_500;

/// The mentions of a sentence (in text order) that start within [`REACH`] bytes of `around`.
fn nearby<'a, T>(items: &'a [&'a T], span: impl Fn(&T) -> Span, around: Span) -> &'a [&'a T] {
    let from = items.partition_point(|m| span(m).start + REACH < around.start);
    let to = from + items[from..].partition_point(|m| span(m).start <= around.end + REACH);
    &items[from..to]
}

/// The mentions of a layer (in text order) that start inside `sentence`, found by binary
/// search, so that a report of many sentences is read in time linear in its mentions.
fn in_sentence<T>(items: &[T], span: impl Fn(&T) -> Span, sentence: Span) -> &[T] {
    let from = items.partition_point(|m| span(m).start < sentence.start);
    let to = from + items[from..].partition_point(|m| span(m).start < sentence.end);
    &items[from..to]
}

/// Lower is more precise: a town before a district before a governorate or region.
fn precision_rank(mention: &PlaceMention, gazetteer: &Gazetteer) -> u8 {
    if mention.aside {
        // A road's end, or people's home town: any town named beside it is closer.
        return 3;
    }
    match gazetteer.place(mention.place).kind {
        PlaceKind::Governorate | PlaceKind::Region | PlaceKind::Country => 3,
        _ => mention.geo_precision.code(),
    }
}

/// Where the clauses of a sentence begin, as (first word, clause number) pairs in word order
/// (read with [`clause_of`]; one pair a clause, not a word, so a run-on sentence costs little
/// memory): a clause opener of `data/lexicon/clause_openers.tsv` («كما», «بينما») starts one;
/// in the first list, commas, semicolons and colons do too, and in the second they do not.
fn clause_ids(
    words: &[Word],
    sentence: Span,
    openers: &PhraseLexicon<()>,
) -> [Vec<(usize, usize)>; 2] {
    let first = word_at(words, sentence.start);
    // (clause number, after a mark) with marks, then without.
    let mut state = [(0usize, true); 2];
    let mut out = [Vec::new(), Vec::new()];
    for (i, w) in words.iter().enumerate().skip(first) {
        if w.span.start >= sentence.end {
            break;
        }
        if !w.is_word && w.text.chars().all(|c| CLAUSE_MARKS.contains(&c)) {
            state[0] = (state[0].0 + 1, true);
        } else if w.is_word {
            // An opener counts where no mark came right before it: look it up once for both.
            let mut opener = None;
            for (clause, after_mark) in &mut state {
                if !*after_mark
                    && *opener.get_or_insert_with(|| openers.longest_at(words, i).is_some())
                {
                    *clause += 1;
                }
                *after_mark = false;
            }
        }
        for ((clause, _), list) in state.iter().zip(&mut out) {
            if list.last().is_none_or(|&(_, last)| last != *clause) {
                list.push((i, *clause));
            }
        }
    }
    out
}

/// Clause-ending punctuation.
const CLAUSE_MARKS: &[char] = &[',', '،', '؛', ';', ':'];

/// The clause number of a word, from the clause starts that [`clause_ids`] gives.
fn clause_of(clauses: &[(usize, usize)], word: usize) -> usize {
    match clauses.binary_search_by_key(&word, |(w, _)| *w) {
        Ok(i) => clauses[i].1,
        Err(i) => clauses.get(i.saturating_sub(1)).map_or(0, |c| c.1),
    }
}

/// The place of a trigger: the most precise place of its clause (the nearest of those); else
/// of the clause after it when that clause opens with what the trigger reached
/// (`data/lexicon/strike_reach.tsv`: «نفذ الطيران غارات، طالت مدينة بنش»); else of the clause
/// before it («مداهمة حاجز قرب X، حيث تمكنت من مصادرة أسلحته»); else of the clause after it
/// («حررت المجموعات قرى، لتصبح محافظة درعا محررة»); else of the sentence.
fn place_of<'a>(
    trigger: &TriggerMention,
    places: &[&'a PlaceMention],
    clauses: &[(usize, usize)],
    input: &Inputs<'_>,
    gazetteer: &Gazetteer,
) -> Option<&'a PlaceMention> {
    let words = input.words;
    let clause = clause_of(clauses, trigger.words.0);
    let in_clause = |c: usize| -> Vec<&'a PlaceMention> {
        places
            .iter()
            .copied()
            .filter(|p| clause_of(clauses, word_at(words, p.span.start)) == c)
            .collect()
    };
    // Within the trigger's clause the nearest of the most precise places; elsewhere the first,
    // since a direction's anchor follows the place it locates («جسر الشغور غربي إدلب»).
    let finest = |candidates: &[&'a PlaceMention], own: bool| -> Option<&'a PlaceMention> {
        let best = candidates
            .iter()
            .map(|p| precision_rank(p, gazetteer))
            .min()?;
        let finest: Vec<&PlaceMention> = candidates
            .iter()
            .copied()
            .filter(|p| precision_rank(p, gazetteer) == best)
            .collect();
        if own {
            nearest(trigger.span, &finest, |p| p.span).copied()
        } else {
            finest.first().copied()
        }
    };
    // The clause's first word: a clause begins at the mark that opens it.
    let next_opens_with_reach = || {
        clauses
            .iter()
            .find(|&&(_, c)| c == clause + 1)
            .and_then(|&(first, _)| (first..words.len()).find(|&i| words[i].is_word))
            .is_some_and(|first| {
                input
                    .lexicons
                    .strike_reach
                    .longest_at(words, first)
                    .is_some()
            })
    };
    finest(&in_clause(clause), true)
        .or_else(|| {
            next_opens_with_reach()
                .then(|| finest(&in_clause(clause + 1), false))
                .flatten()
        })
        .or_else(|| {
            clause
                .checked_sub(1)
                .and_then(|previous| finest(&in_clause(previous), false))
        })
        .or_else(|| finest(&in_clause(clause + 1), false))
        .or_else(|| finest(places, false))
}

/// The towns (or small areas such as «الحولة») named in a list with town `chosen` («بنش
/// وطعوم وسرمين», «الحولة، وتلبيسة», «بنش بريف إدلب، والأتارب»), other than `chosen`
/// itself, in text order. A list after a marker of
/// `data/lexicon/list_markers.tsv` names the two ends of one front («اشتباكات بين بلدتي X و
/// Y») or examples («لا سيما X و Y»), not places of events.
fn coordinated_places<'a>(
    chosen: &PlaceMention,
    places: &[&'a PlaceMention],
    input: &Inputs<'_>,
) -> Vec<&'a PlaceMention> {
    let (text, words) = (input.doc.text.as_str(), input.words);
    let mut sorted: Vec<&PlaceMention> = places
        .iter()
        .copied()
        .filter(|p| !p.aside && p.geo_precision != GeoPrecision::Region)
        .collect();
    sorted.sort_by_key(|p| p.span);
    let Some(at) = sorted.iter().position(|p| p.span == chosen.span) else {
        return Vec::new();
    };
    // What stands between two list items once the regions that qualify the first are left
    // out: «بنش ومعرة مصرين [بريف إدلب]، والأتارب».
    let between = |a: &PlaceMention, b: &PlaceMention| -> Option<String> {
        let mut rest = text.get(a.span.end..b.span.start)?.to_string();
        // A qualifier's extent: its cue and name, and a direction after «ريف X» («الجنوبي»).
        let extent = |q: &PlaceMention| {
            let cue = q.cue_span.unwrap_or(q.span);
            (cue.start.min(q.span.start), cue.end.max(q.span.end))
        };
        let qualifiers = places.iter().filter(|q| {
            let (start, end) = extent(q);
            q.geo_precision == GeoPrecision::Region && start >= a.span.end && end <= b.span.start
        });
        for q in qualifiers.rev() {
            let (start, end) = extent(q);
            // From the start of the cue's word, with its proclitics («بريف»).
            let from = words[word_at(words, start)]
                .span
                .start
                .clamp(a.span.end, start);
            rest.replace_range(from - a.span.end..end - a.span.end, "");
        }
        Some(rest)
    };
    let joined = |a: &PlaceMention, b: &PlaceMention| {
        b.cue.is_none()
            && a.place != b.place
            && between(a, b).is_some_and(|between| {
                between
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .all(|c| matches!(c, '،' | ',' | COORDINATOR))
                    && between.chars().filter(|c| *c == COORDINATOR).count() <= 1
            })
    };
    let mut start = at;
    while start > 0 && joined(sorted[start - 1], sorted[start]) {
        start -= 1;
    }
    let mut end = at;
    while end + 1 < sorted.len() && joined(sorted[end], sorted[end + 1]) {
        end += 1;
    }
    let head = sorted[start];
    let head_word = word_at(words, head.cue_span.unwrap_or(head.span).start);
    let marked = (head_word.saturating_sub(3)..head_word).any(|j| {
        input
            .lexicons
            .list_markers
            .longest_at(words, j)
            .is_some_and(|(end, _)| end == head_word)
    });
    if marked {
        return Vec::new();
    }
    (start..=end)
        .filter(|&i| i != at && sorted[i].place != chosen.place)
        .map(|i| sorted[i])
        .collect()
}

/// True when the cue stands where its scope says, relative to the trigger.
fn applies(cue: &CueMention, trigger: &TriggerMention) -> bool {
    let (t_start, t_end) = trigger.words;
    let (c_start, c_end) = cue.words;
    match cue.cue.scope {
        CueScope::Sentence => true,
        CueScope::Over => cue.span.contains(trigger.span),
        CueScope::Before(limit) => c_end <= t_start && limit.is_none_or(|n| t_start - c_end <= n),
        CueScope::After(n) => c_start >= t_end && c_start - t_end <= n,
        CueScope::Near(n) => {
            (c_start >= t_end && c_start - t_end <= n) || (c_end <= t_start && t_start - c_end <= n)
        }
    }
}

/// The modality from the cues that apply; the strongest wins (negated over planned over hedged
/// over reported). Negation, plans and hedges scope over their own clause (`own_clause`):
/// «يعتقد» about the rockets of one clause does not hedge the strike of the next; an
/// attribution («قال المرصد:») covers the whole sentence (`cues`).
fn modality_of(
    trigger: &TriggerMention,
    own_clause: &[&CueMention],
    cues: &[&CueMention],
) -> (Modality, Option<Span>) {
    let rank = |m: Modality| match m {
        Modality::Negated => 4,
        Modality::Planned => 3,
        Modality::Hedged => 2,
        Modality::Reported => 1,
        Modality::Asserted => 0,
    };
    let mut best = (Modality::Asserted, None);
    let clause_bound = own_clause.iter().filter(|c| {
        matches!(
            c.cue.kind,
            CueKind::Negated | CueKind::Hedged | CueKind::Planned
        )
    });
    let sentence_wide = cues.iter().filter(|c| c.cue.kind == CueKind::Reported);
    for cue in clause_bound.chain(sentence_wide) {
        let modality = match cue.cue.kind {
            CueKind::Negated => Modality::Negated,
            CueKind::Hedged => Modality::Hedged,
            CueKind::Planned => Modality::Planned,
            CueKind::Reported => Modality::Reported,
            _ => continue,
        };
        if applies(cue, trigger) && rank(modality) > rank(best.0) {
            best = (modality, Some(cue.span));
        }
    }
    best
}

/// Whether a hedge is about whose the weapon was, not about the event: «طائرات يرجح أنها
/// للنظام» names an owner, with the possessive ل, right after the hedge's «أن». «يعتقد أنه
/// لقي حتفه» hedges an event: a trigger is no owner.
fn hedges_whose_side(cue: &CueMention, words: &[Word], triggers: &[&TriggerMention]) -> bool {
    if cue.cue.kind != CueKind::Hedged {
        return false;
    }
    let that = cue.words.1;
    let owner = that + 1;
    let (Some(w_that), Some(w_owner)) = (words.get(that), words.get(owner)) else {
        return false;
    };
    w_that.text.starts_with(THAT)
        && w_owner.text.starts_with(POSSESSIVE)
        && w_owner.text.chars().count() > POSSESSIVE_MIN_CHARS
        && !triggers.iter().any(|t| t.words.0 == owner)
}

/// «أن», «أنها», «أنه»: the word that opens what a hedge doubts.
const THAT: &str = "ان";
/// The possessive proclitic ل, which names an owner («للنظام», «لروسيا»).
const POSSESSIVE: char = 'ل';
/// The shortest word read as ل + an owner's name.
const POSSESSIVE_MIN_CHARS: usize = 3;

/// Words between a verb-first trigger and its subject («سيطرت [اليوم] فصائل»).
const SUBJECT_AFTER_TRIGGER: usize = 3;

/// Whether the trigger is a word inside an actor's name («عمليات» in a name of an operations
/// room), which names no event. A trigger the name starts with is the actor's weapon, and an
/// event: «طائرة مسيرة تركية», «المدفعية التركية».
fn names_within(actor: &ActorMention, trigger: &TriggerMention) -> bool {
    actor.span.contains(trigger.span) && actor.words.0 != trigger.words.0
}

fn choose_actors<'a>(
    trigger: &TriggerMention,
    actors: &[&'a ActorMention],
) -> (Option<&'a ActorMention>, Option<&'a ActorMention>) {
    // «طائرة مسيرة تركية»: the trigger is the actor's weapon, so the actor acts.
    let armed = actors
        .iter()
        .copied()
        .find(|a| a.span.contains(trigger.span) && a.agent.is_none());
    let marked_agent = actors.iter().copied().find(|a| a.agent == Some(true));
    // «فجّرت [قوات النظام] منزل»: an actor inside a trigger's gap is the verb's subject.
    let inside = actors.iter().copied().find(|a| {
        a.agent.is_none()
            && !a.possessive
            && a.words.0 > trigger.words.0
            && a.words.1 < trigger.words.1
    });
    // An actor right after the trigger is its agent: the subject of a verb («سيطرت فصائل»)
    // or the genitive of a verbal noun («سيطرة قوات النظام», «قصف لقوات النظام»).
    let adjacent = actors
        .iter()
        .copied()
        .find(|a| a.agent.is_none() && a.words.0 == trigger.words.1);
    let free = |a: &&&ActorMention| a.agent.is_none() && !a.possessive;
    let before = actors
        .iter()
        .filter(free)
        .copied()
        .rev()
        .find(|a| a.words.1 <= trigger.words.0);
    // Of two coordinated actors («الحكومة وقوات سوريا الديمقراطية») the first is actor 1.
    let before = before.map(|b| {
        actors
            .iter()
            .copied()
            .find(|a| a.words.1 == b.words.0 && free(&a))
            .filter(|_| b.text.starts_with(COORDINATOR))
            .unwrap_or(b)
    });
    let after = actors.iter().filter(free).copied().find(|a| {
        a.words.0 >= trigger.words.1 && a.words.0 - trigger.words.1 <= SUBJECT_AFTER_TRIGGER
    });
    // A side marked as acting before the trigger («دارت معارك بين الفصائل و…») acts in an
    // earlier predicate when the trigger names its own agent right after it («انتهت بسيطرة
    // الجيش على البلدة»).
    let marked_agent = marked_agent.filter(|m| adjacent.is_none() || m.words.0 >= trigger.words.1);
    let actor1 = marked_agent
        .or(armed)
        .or(inside)
        .or(adjacent)
        .or(before)
        .or(after);
    let differs = |a: &&ActorMention| {
        actor1.is_none_or(|a1| a.span != a1.span && (a.name.is_none() || a.name != a1.name))
    };
    let acted_upon = |a: &&ActorMention| a.agent == Some(false) || a.possessive;
    let actor2 = actors
        .iter()
        .copied()
        .filter(differs)
        .find(|a| acted_upon(a) && a.name.is_some())
        .or_else(|| actors.iter().copied().filter(differs).find(acted_upon))
        .or_else(|| {
            actors
                .iter()
                .copied()
                .filter(differs)
                .find(|a| a.words.0 >= trigger.words.0)
        })
        .or_else(|| actors.iter().copied().find(differs));
    (actor1, actor2)
}

fn nearest<T>(anchor: Span, items: &[T], span: impl Fn(&T) -> Span) -> Option<&T> {
    items.iter().min_by_key(|item| {
        let s = span(item);
        if s.start >= anchor.end {
            s.start - anchor.end
        } else {
            // Places before the trigger count as a little further away than those after it.
            anchor.start.saturating_sub(s.end) + 8
        }
    })
}

type Counts = (
    Option<(Count, Span)>,
    Option<(Estimate, Span)>,
    Option<(Estimate, Span)>,
);

fn counts_of(trigger: &TriggerMention, quantities: &[&QuantityMention]) -> Counts {
    let by_distance = |what_ok: &dyn Fn(Option<CountWhat>) -> bool| {
        let matching: Vec<&QuantityMention> = quantities
            .iter()
            .copied()
            .filter(|q| what_ok(q.what))
            .collect();
        nearest(trigger.span, &matching, |q| q.span).map(|q| (*q).clone())
    };
    let fatalities = by_distance(&|w| w == Some(CountWhat::Killed)).map(|q| (q.estimate, q.span));
    let injured = by_distance(&|w| w == Some(CountWhat::Injured)).map(|q| (q.estimate, q.span));
    let count = trigger.trigger.counts.and_then(|wanted| {
        let people = |w: Option<CountWhat>| {
            matches!(
                w,
                None | Some(CountWhat::Fighters | CountWhat::Civilians | CountWhat::Other)
            )
        };
        let found =
            by_distance(&|w| w == Some(wanted) || (wanted != CountWhat::Killed && people(w)))?;
        Some((Count::new(found.estimate, wanted), found.span))
    });
    (count, fatalities, injured)
}

/// Place, day, factual, background: candidates with one key may be one incident.
type MergeKey = (String, Option<NaiveDate>, bool, bool);

fn merge(candidates: Vec<Candidate>, rules: &CodingRules, gazetteer: &Gazetteer) -> Vec<Candidate> {
    let mut groups: BTreeMap<MergeKey, Vec<Candidate>> = BTreeMap::new();
    for candidate in candidates {
        let place_key = candidate
            .place
            .as_ref()
            .map(|m| {
                // One spot, however it is named: «مركز المحافظة» and «مدينة درعا» are one place;
                // a city's neighbourhoods are looked at together with it.
                let p = gazetteer
                    .town_of(m.place)
                    .unwrap_or_else(|| gazetteer.place(m.place));
                format!("{:.3},{:.3}", p.latitude, p.longitude)
            })
            .unwrap_or_default();
        let key = (
            place_key,
            candidate.date.map(|d| d.0),
            candidate.modality.is_factual(),
            candidate.background,
        );
        groups.entry(key).or_default().push(candidate);
    }
    let mut merged = Vec::new();
    for (_, mut group) in groups {
        // Strong triggers first, then in text order.
        group.sort_by(|a, b| {
            (b.weight >= WEAK_TRIGGER)
                .cmp(&(a.weight >= WEAK_TRIGGER))
                .then(a.trigger.start.cmp(&b.trigger.start))
        });
        let mut incidents: Vec<Candidate> = Vec::new();
        for candidate in group {
            let weak = candidate.weight < WEAK_TRIGGER;
            let home = incidents.iter().position(|i| {
                one_action(i, &candidate, rules)
                    && compatible_actors(i, &candidate)
                    && one_quarter(i, &candidate, gazetteer)
            });
            match home {
                Some(at) => join(&mut incidents[at], candidate, rules, true),
                None if weak && !incidents.is_empty() => absorb(&mut incidents[0], candidate),
                None => incidents.push(candidate),
            }
        }
        merged.extend(incidents);
    }
    merged.sort_by_key(|c| c.trigger.start);
    let merged = join_coarse_places(merged, rules, gazetteer);
    let merged = resolve_anaphora(merged, rules, gazetteer);
    let merged = fold_headline(merged, rules, gazetteer);
    join_agreements(merged, rules, gazetteer)
}

/// One deal told again at another place of its area is one agreement: «اتفاق للخروج من جيب
/// قرب حمص» and, further on, «اتفاق … في ريفي حمص الشمالي وحماة الجنوبي». Agreements of
/// the same day between compatible sides, within [`AGREEMENT_REACH_KM`] of each other, join
/// the first.
fn join_agreements(
    candidates: Vec<Candidate>,
    rules: &CodingRules,
    gazetteer: &Gazetteer,
) -> Vec<Candidate> {
    let point = |c: &Candidate| {
        c.place.as_ref().map(|m| {
            let p = gazetteer.place(m.place);
            (p.latitude, p.longitude)
        })
    };
    let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let home = (c.sub == SubEventType::Agreement)
            .then(|| {
                out.iter().position(|o| {
                    o.sub == SubEventType::Agreement
                        && o.date.map(|d| d.0) == c.date.map(|d| d.0)
                        && o.modality.is_factual() == c.modality.is_factual()
                        && o.background == c.background
                        && compatible_actors(o, &c)
                        && match (point(o), point(&c)) {
                            (Some((a, b)), Some((x, y))) => {
                                km_between(a, b, x, y) <= AGREEMENT_REACH_KM
                            }
                            _ => false,
                        }
                })
            })
            .flatten();
        match home {
            Some(at) => join(&mut out[at], c, rules, false),
            None => out.push(c),
        }
    }
    out
}

/// How far apart two mentions of one deal may be placed.
const AGREEMENT_REACH_KM: f64 = 60.0;

/// The headline tells again what the body tells: an event of the headline joins the body's
/// event of its kind (of its very sub-event type first, and at a place the headline's place
/// holds first),
/// which keeps the body's place and detail and takes the headline's number only when it has
/// none. A headline event the body does not tell stays, as the report's only word on it.
fn fold_headline(
    candidates: Vec<Candidate>,
    rules: &CodingRules,
    gazetteer: &Gazetteer,
) -> Vec<Candidate> {
    let (headline, mut body): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| c.headline);
    for c in headline {
        let retold = |b: &&Candidate| {
            b.modality.is_factual() == c.modality.is_factual()
                && b.background == c.background
                && retells(b.sub, c.sub, rules)
                && compatible_actors(b, &c)
        };
        let held = |b: &&Candidate| match (&c.place, &b.place) {
            (Some(outer), Some(inner)) => contains(outer, inner, gazetteer),
            _ => false,
        };
        let same = |b: &&Candidate| b.sub == c.sub;
        // A headline's bare killing («ومقتل عنصر في الزبداني») is a toll of the fight or strike
        // the body tells at that place, whoever the body says fought.
        let toll_of = |b: &&Candidate| {
            c.weight < WEAK_TRIGGER
                && held(b)
                && b.modality.is_factual() == c.modality.is_factual()
                && matches!(
                    b.sub.event_type(),
                    EventType::Battles
                        | EventType::ExplosionsRemoteViolence
                        | EventType::ViolenceAgainstCivilians
                )
        };
        // A headline incident the body tells at its own place joins only what happened there.
        let anywhere = !c.body_told;
        let home = body
            .iter()
            .position(|b| retold(&b) && same(&b) && held(&b))
            .or_else(|| body.iter().position(|b| anywhere && retold(&b) && same(&b)))
            .or_else(|| body.iter().position(|b| retold(&b) && held(&b)))
            .or_else(|| body.iter().position(|b| toll_of(&b)))
            .or_else(|| body.iter().position(|b| anywhere && retold(&b)));
        match home {
            Some(at) => {
                let recode = c.weight >= WEAK_TRIGGER;
                join(&mut body[at], c, rules, recode);
            }
            None => body.push(c),
        }
    }
    body.sort_by_key(|c| c.trigger.start);
    body
}

/// Whether two candidates placed in one city are told of one part of it: the same spot, or
/// neighbourhoods of the city that one trigger names together («حيي الشيخ مقصود والأشرفية»)
/// or where the same named parties act (one side may be left unnamed). A roundup's clashes
/// in one neighbourhood and, between other sides, in another are two incidents.
fn one_quarter(a: &Candidate, b: &Candidate, gazetteer: &Gazetteer) -> bool {
    let spot = |c: &Candidate| {
        c.place.as_ref().map(|m| {
            let p = gazetteer.place(m.place);
            (p.latitude.to_bits(), p.longitude.to_bits())
        })
    };
    if spot(a) == spot(b) || a.trigger == b.trigger {
        return true;
    }
    fn sides(c: &Candidate) -> BTreeSet<&str> {
        [&c.actor1, &c.actor2]
            .into_iter()
            .flatten()
            .filter_map(|m| m.name.as_deref())
            .collect()
    }
    let (ours, theirs) = (sides(a), sides(b));
    !ours.is_empty() && !theirs.is_empty() && (ours.is_subset(&theirs) || theirs.is_subset(&ours))
}

/// «قصفت المروحيات المدينة بالبراميل، بالتزامن مع اشتباكات فيها»: a strike from afar and a
/// fight on the ground that a clause opener of one sentence sets beside each other are two
/// events.
fn beside_in_another_clause(a: &Candidate, b: &Candidate) -> bool {
    let kinds = [a.sub.event_type(), b.sub.event_type()];
    kinds.contains(&EventType::Battles)
        && kinds.contains(&EventType::ExplosionsRemoteViolence)
        && a.sentence == b.sentence
        && a.clause != b.clause
}

/// Whether two candidates of one place and day are one action under ACLED's hierarchy: the
/// same sub-event type; types the hierarchy combines told in one clause of a sentence
/// («اشتباكات تخللتها غارات»); or, across sentences, combinable types that are not a fight on the ground
/// and a strike from afar: a roundup's clashes in a town and the barrels dropped on it in
/// another sentence are two events, while a takeover and the clashes or withdrawal that led
/// to it are one.
fn one_action(a: &Candidate, b: &Candidate, rules: &CodingRules) -> bool {
    if a.sub == b.sub {
        return true;
    }
    if rules.combine(a.sub, b.sub).is_none() {
        return false;
    }
    let same_sentence = |c: &Candidate, s: Span| c.sentence == s || c.told_in.contains(&s);
    let ground_and_afar = {
        let kinds = [a.sub.event_type(), b.sub.event_type()];
        kinds.contains(&EventType::Battles) && kinds.contains(&EventType::ExplosionsRemoteViolence)
    };
    if beside_in_another_clause(a, b) {
        return false;
    }
    same_sentence(a, b.sentence)
        || same_sentence(b, a.sentence)
        || (!ground_and_afar && a.sub.event_type() == b.sub.event_type())
}

/// A definite mention without a town of its own («وعُقد الاجتماع أمس») is the event of that
/// kind the report told last; it joins it, whatever place its sentence inherited.
fn resolve_anaphora(
    candidates: Vec<Candidate>,
    rules: &CodingRules,
    gazetteer: &Gazetteer,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let antecedent = if candidate.definite {
            out.iter().rposition(|earlier| {
                // «القصف» with a place of its own re-mentions an event only at a place that
                // holds the earlier one's.
                let placed_apart = candidate.place_in_sentence
                    && !candidate.refers
                    && !matches!(
                        (&candidate.place, &earlier.place),
                        (Some(outer), Some(inner)) if contains(outer, inner, gazetteer)
                    );
                !placed_apart
                    && earlier.modality.is_factual() == candidate.modality.is_factual()
                    && earlier.background == candidate.background
                    && rules.combine(earlier.sub, candidate.sub).is_some()
                    && earlier.sub.event_type() == candidate.sub.event_type()
                    && compatible_actors(earlier, &candidate)
            })
        } else {
            None
        };
        if antecedent.is_none() && candidate.definite && !candidate.place_in_sentence {
            // A definite noun with nothing to refer back to and no place of its own names the
            // kind of event, not an event («لا يفهم لغة التظاهر»).
            continue;
        }
        match antecedent {
            Some(at) => join(&mut out[at], candidate, rules, true),
            None => out.push(candidate),
        }
    }
    out
}

/// Whether place `outer` is or holds place `inner`: the same spot, the governorate or region
/// of its governorate, or the district of its district (neighbourhood ⊂ city ⊂ district ⊂
/// governorate).
fn contains(outer: &PlaceMention, inner: &PlaceMention, gazetteer: &Gazetteer) -> bool {
    let (o, i) = (gazetteer.place(outer.place), gazetteer.place(inner.place));
    if outer.place == inner.place
        || (o.latitude - i.latitude).abs() < 0.01 && (o.longitude - i.longitude).abs() < 0.01
    {
        return true;
    }
    match o.kind {
        PlaceKind::Governorate | PlaceKind::Region => {
            o.admin1_pcode.is_some() && o.admin1_pcode == i.admin1_pcode
        }
        PlaceKind::District => o.pcode.is_some() && o.pcode == i.admin2_pcode,
        PlaceKind::Subdistrict => o.pcode.is_some() && o.pcode == i.admin3_pcode,
        _ => false,
    }
}

/// Two candidates may be one incident only if their known actors agree: a regime defection and a
/// militia's mobilisation in one town on one day are two events.
fn compatible_actors(a: &Candidate, b: &Candidate) -> bool {
    let same = |x: &ActorMention, y: &ActorMention| match (&x.name, &y.name) {
        (Some(n), Some(m)) => n == m,
        (None, None) => x.text == y.text,
        // A group named only by its shape may be the named one.
        _ => true,
    };
    match (&a.actor1, &b.actor1) {
        (Some(a1), Some(b1)) => {
            same(a1, b1)
                || a.actor2.as_ref().is_some_and(|a2| same(a2, b1))
                || b.actor2.as_ref().is_some_and(|b2| same(a1, b2))
        }
        _ => true,
    }
}

/// Within one sentence, a candidate placed only at governorate or region level joins a
/// combinable candidate placed in a town of that governorate («معارك مع الهيئة» and
/// «السيطرة على قرية الجلمة بريف حماة»).
fn join_coarse_places(
    candidates: Vec<Candidate>,
    rules: &CodingRules,
    gazetteer: &Gazetteer,
) -> Vec<Candidate> {
    let admin1 = |c: &Candidate| {
        c.place
            .as_ref()
            .and_then(|m| gazetteer.place(m.place).admin1_pcode.clone())
    };
    let coarse = |c: &Candidate| {
        c.place
            .as_ref()
            .is_some_and(|m| precision_rank(m, gazetteer) == 3)
    };
    // A governorate holds every place in it; a region («ريف درعا الشرقي», «سهل الغاب») only
    // those around its point, so that «the eastern countryside» is not a town in the west.
    let holds = |c: &Candidate, fine: &Candidate| {
        let (Some(outer), Some(inner)) = (&c.place, &fine.place) else {
            return false;
        };
        let (o, i) = (gazetteer.place(outer.place), gazetteer.place(inner.place));
        match o.kind {
            PlaceKind::Governorate => c.side.is_none_or(|(ns, ew)| {
                let on = |sign: i8, delta: f64| sign == 0 || delta * f64::from(sign) > SIDE_SLACK;
                on(ns, i.latitude - o.latitude) && on(ew, i.longitude - o.longitude)
            }),
            _ => km_between(o.latitude, o.longitude, i.latitude, i.longitude) <= REGION_REACH_KM,
        }
    };
    let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut pending: Vec<Candidate> = Vec::new();
    for c in candidates {
        if coarse(&c) && !c.listed {
            pending.push(c);
        } else {
            out.push(c);
        }
    }
    for c in pending {
        let may_join = |fine: &Candidate| {
            !coarse(fine)
                && admin1(fine) == admin1(&c)
                && fine.modality.is_factual() == c.modality.is_factual()
                && fine.background == c.background
        };
        let same_sentence = out.iter().position(|fine| {
            may_join(fine)
                && holds(&c, fine)
                && fine.sentence == c.sentence
                && !beside_in_another_clause(fine, &c)
                && fine.date.map(|d| d.0) == c.date.map(|d| d.0)
                && ((rules.combine(fine.sub, c.sub).is_some() && compatible_actors(fine, &c))
                    || c.weight < WEAK_TRIGGER)
        });
        // Elsewhere in the report, a governorate-level mention of an action of the kind told in
        // one of its towns («غارات على ريف إدلب» in a headline or a summary) is that action
        // told again, not another event.
        let near_day = |fine: &Candidate| match (fine.date, c.date) {
            (Some(a), Some(b)) => (a.0 - b.0).num_days().abs() <= 1,
            _ => true,
        };
        let wide = c.place.as_ref().is_some_and(|m| {
            m.geo_precision == GeoPrecision::Region
                && gazetteer.place(m.place).precision == GeoPrecision::Region
        });
        let home = same_sentence.or_else(|| {
            // A province-wide summary of fighting names its sides loosely («معارك بين
            // الطرفين»): of its own event type it retells the town's fight whoever it names.
            let told_as = killing_in_a_fight(&c);
            let retold = |fine: &&Candidate| {
                wide && may_join(fine)
                    && near_day(fine)
                    && holds(&c, fine)
                    && retells(fine.sub, told_as, rules)
                    && (compatible_actors(fine, &c)
                        || (fine.sub.event_type() == told_as.event_type()
                            && matches!(
                                c.sub.event_type(),
                                EventType::Battles | EventType::ExplosionsRemoteViolence
                            )))
            };
            let distance = |fine: &Candidate| fine.trigger.start.abs_diff(c.trigger.start);
            out.iter()
                .enumerate()
                .filter(|(_, fine)| retold(fine))
                .min_by_key(|(_, fine)| distance(fine))
                .map(|(at, _)| at)
        });
        // «تقدمها في سهل الغاب بريف حماة وقتلها عشرات»: two coarse places of one sentence,
        // one inside the other, are one place for one action.
        let nested = || {
            out.iter().position(|o| {
                coarse(o)
                    && o.sentence == c.sentence
                    && o.date.map(|d| d.0) == c.date.map(|d| d.0)
                    && o.modality.is_factual() == c.modality.is_factual()
                    && o.background == c.background
                    && (o.sub == c.sub || retells(o.sub, c.sub, rules))
                    && compatible_actors(o, &c)
                    && match (&o.place, &c.place) {
                        (Some(a), Some(b)) => {
                            contains(a, b, gazetteer) || contains(b, a, gazetteer)
                        }
                        _ => false,
                    }
            })
        };
        match home {
            // A summary elsewhere in the report does not recode the town's event.
            Some(at) => join(&mut out[at], c, rules, same_sentence.is_some()),
            None => match nested() {
                Some(at) => join(&mut out[at], c, rules, true),
                None => out.push(c),
            },
        }
    }
    out.sort_by_key(|c| c.trigger.start);
    out
}

/// Whether a summary's sub-event type `summary` may tell again an event of type `event`: the
/// same event type (but for strategic developments, which must combine), or types the
/// hierarchy combines that are not a fight on the ground and a strike from afar (a
/// withdrawal summarises a takeover; clashes in a province do not summarise its shelling).
fn retells(event: SubEventType, summary: SubEventType, rules: &CodingRules) -> bool {
    let (a, b) = (event.event_type(), summary.event_type());
    let combines = rules.combine(event, summary).is_some();
    if a == b {
        return combines || a != EventType::StrategicDevelopments;
    }
    let ground_and_afar = [a, b].contains(&EventType::Battles)
        && [a, b].contains(&EventType::ExplosionsRemoteViolence);
    combines && !ground_and_afar
}

/// Part `part` of `parts` of a number told for several places together, as ACLED splits
/// fatalities it cannot place: evenly, the first place taking what does not divide.
fn split_estimate(e: Estimate, parts: u64, part: u64) -> Option<Estimate> {
    let share = |n: u64| n / parts + if part == 0 { n % parts } else { 0 };
    // Fewer victims than places: the number belongs to the first place, not to each.
    (share(e.best) > 0).then(|| Estimate {
        best: share(e.best),
        low: share(e.low),
        high: share(e.high).max(share(e.best)),
    })
}

/// [`split_estimate`] for a count, keeping what it counts.
fn split(count: Count, parts: u64, part: u64) -> Option<Count> {
    let e = split_estimate(
        Estimate {
            best: count.best,
            low: count.low,
            high: count.high,
        },
        parts,
        part,
    )?;
    Some(Count::new(e, count.what))
}

/// How far, in degrees, a town must lie on a side of its governorate's capital to be in the
/// side a direction names (about 5 km).
const SIDE_SLACK: f64 = 0.05;

/// The side of a governorate a direction adjective right after its name names («ريف حمص
/// الشرقي»).
fn side_named(place: &PlaceMention, input: &Inputs<'_>) -> Option<(i8, i8)> {
    if input.gazetteer.place(place.place).kind != PlaceKind::Governorate {
        return None;
    }
    let next = word_at(input.words, place.span.end);
    input
        .lexicons
        .directions
        .longest_at(input.words, next)
        .map(|(_, side)| *side)
}

/// How far from a region's point a town may lie and still be in it.
const REGION_REACH_KM: f64 = 25.0;

/// Great-circle distance in kilometres.
fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    12_742.0 * a.sqrt().asin()
}

/// Makes `other` part of the incident `head`; with `recode`, the incident takes the sub-event
/// type ACLED's hierarchy gives the two.
fn join(head: &mut Candidate, other: Candidate, rules: &CodingRules, recode: bool) {
    if recode {
        if let Some(sub) = rules.combine(head.sub, other.sub) {
            // What the type rests on: a bare killing only while every mention of that type is.
            head.bare_killing = match (sub == head.sub, sub == other.sub) {
                (true, true) => head.bare_killing && other.bare_killing,
                (false, true) => other.bare_killing,
                (true, false) => head.bare_killing,
                (false, false) => false,
            };
            // Who took a place decides its type («سيطرة قوات النظام» is a regain): the sides
            // of such an event are those of the takeover, not of the fight told with it
            // («دارت معارك بين الفصائل والجيش انتهت بسيطرة الجيش على البلدة»).
            let taken_by = matches!(
                sub,
                SubEventType::GovernmentRegainsTerritory
                    | SubEventType::NonStateActorOvertakesTerritory
            );
            if taken_by && sub != head.sub && sub == other.sub && other.actor1.is_some() {
                let before = [head.actor1.take(), head.actor2.take()];
                head.actor1 = other.actor1.clone();
                head.actor2 = other.actor2.clone().or_else(|| {
                    before
                        .into_iter()
                        .flatten()
                        .find(|a| !same_party(a, head.actor1.as_ref()))
                });
            }
            head.sub = sub;
        }
    }
    absorb(head, other);
}

fn absorb(head: &mut Candidate, other: Candidate) {
    head.weight = head.weight.max(other.weight);
    // An incident told by any new mention is news, not only a re-mention.
    head.definite &= other.definite;
    head.refers &= other.refers;
    head.body_told |= !other.headline || other.body_told;
    // An exact number («بخمسة عناصر») outweighs a vague one («عدد من العناصر»).
    let exact = |c: &Option<(Count, Span)>| c.is_some_and(|(c, _)| c.low == c.high);
    if head.count.is_none() || (!exact(&head.count) && exact(&other.count)) {
        head.count = other.count.or(head.count);
    }
    head.fatalities = head.fatalities.or(other.fatalities);
    head.injured = head.injured.or(other.injured);
    // A party is never on both sides: a mention's first actor may be the head's second.
    if head.actor1.is_none() {
        head.actor1 = other
            .actor1
            .filter(|a| !same_party(a, head.actor2.as_ref()));
    }
    if head.actor2.is_none() {
        head.actor2 = other
            .actor2
            .filter(|a| !same_party(a, head.actor1.as_ref()));
    }
    if head.modality == Modality::Asserted && other.modality == Modality::Reported {
        head.modality = Modality::Reported;
        head.modality_cue = other.modality_cue;
    }
    for source in other.sources {
        if !head.sources.iter().any(|s| s.0 == source.0) {
            head.sources.push(source);
        }
    }
    head.also.push((other.trigger, other.sentence));
    // «وعقب التفجير اندلعت مواجهات»: a mention that only refers back does not make its
    // sentence's other incident part of this one.
    if !other.refers {
        head.told_in.insert(other.sentence);
    }
    head.told_in.extend(other.told_in);
    head.also.extend(other.also);
}

/// Whether `a` names the same party as `b`: the same canonical name, or the same words.
fn same_party(a: &ActorMention, b: Option<&ActorMention>) -> bool {
    b.is_some_and(|b| {
        a.name
            .as_ref()
            .map_or(a.text == b.text, |n| Some(n) == b.name.as_ref())
    })
}

/// Protests and riots put the protesters or rioters first; residents named as protesting are
/// coded as protesters.
fn apply_default_actor(c: &mut Candidate, rules: &CodingRules) {
    let Some((name, inter)) = rules.default_actor.get(&c.sub) else {
        return;
    };
    let crowd = |a: &ActorMention| {
        matches!(
            a.inter,
            ActorType::Rioters | ActorType::Protesters | ActorType::Civilians
        )
    };
    if c.actor2.as_ref().is_some_and(crowd) && !c.actor1.as_ref().is_some_and(crowd) {
        std::mem::swap(&mut c.actor1, &mut c.actor2);
    }
    match &mut c.actor1 {
        Some(a) if crowd(a) => {
            a.name = Some(name.clone());
            a.inter = *inter;
        }
        _ => {
            let other = c.actor1.take();
            c.actor2 = c.actor2.take().or(other);
            c.actor1 = Some(ActorMention {
                span: Span::default(),
                words: (0, 0),
                name: Some(name.clone()),
                inter: *inter,
                text: String::new(),
                agent: None,
                possessive: false,
            });
        }
    }
}

/// ACLED's actor types that bear arms.
/// The sub-event type of a candidate once its sides are known: ACLED's attacks are on
/// unarmed people, so an armed side firing on what another owns («أطلق مسلحون النار على
/// دورية لقوات النظام»), or a bare killing of armed men by armed men («قتل التنظيم 37 من
/// مسلحي جماعات منافسة»), is an armed clash.
fn killing_in_a_fight(c: &Candidate) -> SubEventType {
    let hit_armed = c
        .actor2
        .as_ref()
        .is_some_and(|a| is_armed(a.inter) && a.possessive);
    let armed_killed = c.bare_killing && c.actor2.as_ref().is_some_and(|a| is_armed(a.inter));
    if c.sub == SubEventType::Attack
        && c.actor1.as_ref().is_some_and(|a| is_armed(a.inter))
        && (hit_armed || armed_killed)
    {
        SubEventType::ArmedClash
    } else {
        c.sub
    }
}

fn is_armed(inter: ActorType) -> bool {
    matches!(
        inter,
        ActorType::StateForces
            | ActorType::RebelGroup
            | ActorType::PoliticalMilitia
            | ActorType::IdentityMilitia
            | ActorType::ExternalOrOther
    )
}

fn to_event(doc: &Document, mut c: Candidate, gazetteer: &Gazetteer, rules: &CodingRules) -> Event {
    apply_default_actor(&mut c, rules);
    if c.actor1.is_none() {
        // ACLED always names a first actor: one it cannot identify when the report names none.
        c.actor1 = rules
            .unnamed_actor
            .get(&c.sub.event_type())
            .map(|(name, inter)| ActorMention {
                span: Span::default(),
                words: (0, 0),
                name: Some(name.clone()),
                inter: *inter,
                text: String::new(),
                agent: None,
                possessive: false,
            });
    }
    let plausible = |n: u64| n <= MAX_EVENT_FATALITIES;
    if c.fatalities.is_some_and(|(f, _)| !plausible(f.best)) {
        // A war's toll («230 ألف قتيل»), not one event's.
        c.fatalities = None;
        if c.count.is_some_and(|(n, _)| n.what == CountWhat::Killed) {
            c.count = None;
        }
    }
    if c.count.is_some_and(|(n, _)| !plausible(n.best)) {
        c.count = None;
    }
    // Decided after merging, so that a killing told beside a strike stays part of the strike.
    c.sub = killing_in_a_fight(&c);
    let text = doc.text.as_str();
    let mut evidence = Vec::new();
    let mut seen: rustc_hash::FxHashSet<(Span, String)> = rustc_hash::FxHashSet::default();
    let mut add = |field: &str, span: Span| {
        if span.is_empty() || !seen.insert((span, field.to_string())) {
            return;
        }
        let item = Evidence {
            doc_id: doc.id.clone(),
            start: span.start,
            end: span.end,
            text: text[span].to_string(),
            field: field.to_string(),
        };
        evidence.push(item);
    };
    add("trigger", c.trigger);
    for (trigger, _) in &c.also {
        add("trigger", *trigger);
    }
    add("sentence", c.sentence);
    for (_, sentence) in &c.also {
        add("sentence", *sentence);
    }
    let place = c.place.as_ref().map(|m| (m, gazetteer.place(m.place)));
    let country = place.and_then(|(_, p)| gazetteer.country_of(p));
    if let Some((mention, _)) = place {
        add("location", mention.span);
    }
    if let Some((_, _, Some(span))) = c.date {
        add("date", span);
    }
    if let Some(a) = &c.actor1 {
        add("actor1", a.span);
    }
    if let Some(a) = &c.actor2 {
        add("actor2", a.span);
    }
    if let Some((_, span)) = c.count {
        add("count", span);
    }
    if let Some((_, span)) = c.fatalities {
        add("fatalities", span);
    }
    if let Some((_, span)) = c.injured {
        add("injured", span);
    }
    for (_, _, _, span) in &c.sources {
        add("source", *span);
    }
    if let Some(span) = c.modality_cue {
        add("modality", span);
    }

    let mut sources: Vec<SourceRef> = c
        .sources
        .iter()
        .map(|(name, kind, written, _)| SourceRef {
            name: name.clone(),
            name_ar: Some(written.clone()),
            kind: kind.clone(),
            doc_id: doc.id.clone(),
        })
        .collect();
    if let Some(outlet) = &doc.source {
        sources.push(SourceRef {
            name: outlet.clone(),
            name_ar: None,
            kind: "outlet".to_string(),
            doc_id: doc.id.clone(),
        });
    }

    let inter1 = c.actor1.as_ref().map(|a| a.inter);
    let inter2 = c.actor2.as_ref().map(|a| a.inter);
    let (date, date_precision) = match c.date {
        Some((day, precision, _)) => (Some(day), Some(precision)),
        None => (None, None),
    };
    let place_key = place.map(|(_, p)| p.pcode.clone().unwrap_or_else(|| p.name_en.clone()));
    let geo_precision = place.map(|(mention, p)| match p.kind {
        PlaceKind::Governorate | PlaceKind::Region | PlaceKind::Country => GeoPrecision::Region,
        _ => mention.geo_precision,
    });
    let as_written = |a: &ActorMention| (!a.text.is_empty()).then(|| a.text.clone());

    let mut event = Event {
        event_id: event_id(&doc.id, c.sub, place_key.as_deref().unwrap_or(""), date),
        doc_id: doc.id.clone(),
        event_type: c.sub.event_type(),
        sub_event_type: c.sub,
        disorder_type: c.sub.disorder_type(),
        date,
        date_precision,
        actor1: c.actor1.as_ref().and_then(|a| a.name.clone()),
        actor1_ar: c.actor1.as_ref().and_then(as_written),
        inter1,
        actor2: c.actor2.as_ref().and_then(|a| a.name.clone()),
        actor2_ar: c.actor2.as_ref().and_then(as_written),
        inter2,
        interaction: interaction_code(inter1, inter2),
        assoc_actors: Vec::new(),
        location: place.map(|(_, p)| p.name_en.clone()),
        location_ar: place.map(|(m, _)| text[m.span].to_string()),
        location_pcode: place.and_then(|(_, p)| p.pcode.clone()),
        admin1: place.and_then(|(_, p)| p.admin1.clone()),
        admin2: place.and_then(|(_, p)| p.admin2.clone()),
        admin3: place.and_then(|(_, p)| p.admin3.clone()),
        admin1_pcode: place.and_then(|(_, p)| p.admin1_pcode.clone()),
        country: country.map(|c| c.name_en.clone()),
        iso: country.map(|c| c.iso_numeric),
        latitude: place.map(|(_, p)| round4(p.latitude)),
        longitude: place.map(|(_, p)| round4(p.longitude)),
        geo_precision,
        fatalities: c.fatalities.map(|f| f.0),
        injured: c.injured.map(|i| i.0),
        count: c.count.map(|x| x.0),
        modality: c.modality,
        background: c.background,
        sources,
        corroboration: 1,
        evidence,
        notes: String::new(),
        confidence: 0.0,
        review: None,
    };
    event.notes = notes(&event);
    event.confidence = rules.confidence.score(&event);
    event
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A one-line English summary built from the fields (never a translation of the text).
fn notes(e: &Event) -> String {
    let mut out = e.sub_event_type.as_str().to_string();
    if let Some(location) = &e.location {
        out.push_str(&format!(" in {location}"));
        if let Some(admin1) = e.admin1.as_ref().filter(|a| *a != location) {
            out.push_str(&format!(" ({admin1})"));
        }
    }
    if let Some(date) = e.date {
        out.push_str(&format!(" on {date}"));
    }
    match (&e.actor1, &e.actor2) {
        (Some(a), Some(b)) => out.push_str(&format!("; {a} and {b}")),
        (Some(a), None) => out.push_str(&format!("; by {a}")),
        _ => {}
    }
    if let Some(f) = e.fatalities {
        out.push_str(&format!("; {} killed", f.best));
    }
    if let Some(c) = e.count.filter(|c| c.what != CountWhat::Killed) {
        let what = match c.what {
            CountWhat::Injured => "injured",
            CountWhat::Defectors => "defectors",
            CountWhat::Detainees => "detainees",
            CountWhat::Released => "released",
            CountWhat::Fighters => "fighters",
            CountWhat::Civilians => "civilians",
            CountWhat::Abducted => "abducted",
            CountWhat::Killed | CountWhat::Other => "people",
        };
        out.push_str(&format!("; {} {what}", c.best));
    }
    if e.modality != Modality::Asserted {
        out.push_str(&format!("; {}", e.modality.as_str()));
    }
    if e.background {
        out.push_str("; background");
    }
    out.push('.');
    out
}
