//! Near-duplicate reports: MinHash signatures over normalized word shingles.
//!
//! The same wire story appears on several sites with a changed headline, a dropped paragraph or
//! an added sentence. Exact hashes miss it; MinHash estimates the Jaccard similarity of the
//! two reports' sets of word 3-shingles from [`NUM_HASHES`] minimums, and locality-sensitive
//! hashing ([`Signature::bands`]: [`BANDS`] bands of [`ROWS`] values) finds candidates
//! without comparing every pair: two reports with similarity `s` share at least one band with
//! probability `1 - (1 - s³)²⁰` (0.93 at 0.5, 0.02 at 0.1).
//!
//! The minimums come from one hash per shingle, not one per hash function (one-permutation
//! hashing): the hash's high bits choose one of [`NUM_HASHES`] bins, its low bits are the value,
//! and each bin keeps its least value. A bin no shingle fell into borrows the value of another,
//! chosen by a fixed sequence that depends only on the bin (optimal densification, after
//! Shrivastava 2017), so two reports still agree on a bin with probability equal to their
//! Jaccard similarity. This costs one hash per shingle where sixty independent functions cost
//! sixty.
//!
//! Everything is deterministic: the hash functions are fixed (FNV-1a and a SplitMix64
//! finalizer with constant seeds), so signatures written to a database by one rasd version are
//! read back the same by the next. Signatures of another scheme cannot be compared with these:
//! a change of scheme comes with a store migration that signs the stored reports again (the
//! move to one-permutation hashing did, in SQLite schema 14 and PostgreSQL schema 7).
//!
//! Known limit: reports of fewer than three words have one shingle, so two one-line reports
//! either match exactly or not at all.

/// How many values (bins) a signature has.
pub const NUM_HASHES: usize = 60;
/// How many LSH bands a signature is cut into.
pub const BANDS: usize = 20;
/// How many signature values one band holds.
pub const ROWS: usize = NUM_HASHES / BANDS;

/// The MinHash signature of a report's normalized text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    values: Vec<u32>,
}

fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A shingle's hash from its words' hashes ([`fnv1a`], each word hashed once however many
/// shingles hold it): folded in order, each rotated and multiplied in, so that the same words
/// in another order hash apart.
fn shingle_hash(window: &[u64]) -> u64 {
    window.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &w| {
        (h.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    })
}

const fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The bin of a shingle's hash: its high 32 bits scaled to `0..NUM_HASHES`.
fn bin_of(h: u64) -> usize {
    (((h >> 32) * NUM_HASHES as u64) >> 32) as usize
}

/// Fills each empty bin with the value of a non-empty one, chosen by a sequence of bins that
/// depends only on the empty bin's index (optimal densification): two texts whose same bin is
/// empty borrow from the same places, so equal bins still estimate the Jaccard similarity.
/// The sequence is cut after [`MAX_DRAWS`] draws (for a report with a single filled bin, all
/// of them miss it with probability (59/60)³⁸⁴⁰, about 10⁻²⁸): the first filled bin after the
/// empty one, cyclically, is taken then, so the result stays a function of the filled bins.
fn densify(bins: &mut [u32; NUM_HASHES], filled: &[bool; NUM_HASHES]) {
    if filled.iter().all(|&f| f) || !filled.iter().any(|&f| f) {
        return;
    }
    let original = *bins;
    for (i, slot) in bins.iter_mut().enumerate() {
        if filled[i] {
            continue;
        }
        let drawn = (0..MAX_DRAWS)
            .map(|draw| bin_of(splitmix(((i as u64) << 32) ^ draw ^ DENSIFY_SEED)))
            .find(|&j| filled[j]);
        let source = drawn.unwrap_or_else(|| {
            (1..NUM_HASHES)
                .map(|step| (i + step) % NUM_HASHES)
                .find(|&j| filled[j])
                .unwrap_or(i)
        });
        *slot = original[source];
    }
}

/// Draws of the densification sequence before it falls back to a scan.
const MAX_DRAWS: u64 = 64 * NUM_HASHES as u64;
/// Mixed into the densification sequence so that it shares nothing with the shingle hashes.
const DENSIFY_SEED: u64 = 0x4f50_4800;

/// The words of a normalized text: maximal runs of letters and digits.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// `char::is_alphanumeric`, answered at once for ASCII and the Arabic letters (all alphabetic)
/// that make up nearly every normalized report.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{0620}'..='\u{064A}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

impl Signature {
    /// How many consecutive words one shingle holds.
    pub const SHINGLE_WORDS: usize = 3;

    /// The signature of a text that has already been through `rasd_arabic::normalize`: one
    /// SplitMix64-finalized FNV-1a hash per word 3-shingle, binned, then densified.
    ///
    /// # Examples
    /// ```
    /// use rasd_resolve::Signature;
    /// let a = Signature::of_normalized("قصفت الطائرات بلدة في ريف ادلب الجنوبي صباح اليوم");
    /// let b = Signature::of_normalized("قصفت الطائرات بلدة في ريف ادلب الجنوبي صباح الاثنين");
    /// assert!(a.similarity(&b) > 0.4);
    /// ```
    pub fn of_normalized(normalized: &str) -> Signature {
        Signature::of_words(&words(normalized).collect::<Vec<_>>())
    }

    /// The signature of a normalized text's [`words`], in their order: for a caller that
    /// reads the words for something else too.
    pub fn of_words(words: &[&str]) -> Signature {
        let mut bins = [u32::MAX; NUM_HASHES];
        let mut filled = [false; NUM_HASHES];
        if !words.is_empty() {
            let hashes: Vec<u64> = words.iter().map(|w| fnv1a(w.as_bytes(), 0)).collect();
            let k = Self::SHINGLE_WORDS.min(hashes.len());
            for window in hashes.windows(k) {
                let h = splitmix(shingle_hash(window));
                let bin = bin_of(h);
                bins[bin] = bins[bin].min(h as u32);
                filled[bin] = true;
            }
            densify(&mut bins, &filled);
        }
        Signature {
            values: bins.to_vec(),
        }
    }

    /// The signature of an original text, normalized first.
    pub fn of_text(text: &str) -> Signature {
        Signature::of_normalized(rasd_arabic::normalize(text).as_str())
    }

    /// True for the signature of a text without words; it is near no other.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(|&v| v == u32::MAX)
    }

    /// The estimated Jaccard similarity of the two shingle sets, in 0..=1.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.is_empty() || other.is_empty() || self.values.len() != other.values.len() {
            return 0.0;
        }
        let same = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / self.values.len() as f64
    }

    /// The LSH band keys: reports sharing a key are candidates. Each key mixes in its band's
    /// index, so one list of keys per report can be indexed as it is. Empty signatures have
    /// no bands.
    pub fn bands(&self) -> Vec<i64> {
        if self.is_empty() {
            return Vec::new();
        }
        self.values
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(4 * ROWS);
                for v in rows {
                    bytes.extend_from_slice(&v.to_le_bytes());
                }
                fnv1a(&bytes, band as u64) as i64
            })
            .collect()
    }

    /// The signature as bytes (little-endian `u32`s), for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`] back; `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != NUM_HASHES * 4 {
            return None;
        }
        let values = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Signature { values })
    }
}

/// Decides when two reports are near duplicates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearDuplicates {
    /// The least estimated Jaccard similarity of word 3-shingles for a link (default 0.5).
    pub threshold: f64,
}

impl Default for NearDuplicates {
    fn default() -> Self {
        NearDuplicates { threshold: 0.5 }
    }
}

impl NearDuplicates {
    /// True when the two signatures are similar enough to be one story.
    pub fn linked(&self, a: &Signature, b: &Signature) -> bool {
        a.similarity(b) >= self.threshold
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_word_test_agrees_with_the_standard_library() {
        for c in (0..0x3000u32)
            .chain(0xFB50..0xFEFF)
            .filter_map(char::from_u32)
        {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    const STORY: &str = "قال ناشطون محليون إن قوات النظام قصفت صباح اليوم بلدة كفرنبل في ريف إدلب الجنوبي بالمدفعية الثقيلة ما أدى إلى مقتل مدنيين اثنين وإصابة خمسة آخرين بجروح متفاوتة ونقل المصابون إلى مشفى قريب";

    /// Signatures are stored: a faster computation must give the very same values as the
    /// plain one (FNV-1a of each word of a shingle, folded, SplitMix64, bins, then
    /// densification by the same sequence).
    #[test]
    fn signatures_are_those_of_the_plain_computation() {
        fn plain(normalized: &str) -> Vec<u32> {
            let mut values = vec![u32::MAX; NUM_HASHES];
            let mut filled = [false; NUM_HASHES];
            let words: Vec<&str> = words(normalized).collect();
            if words.is_empty() {
                return values;
            }
            for window in words.windows(Signature::SHINGLE_WORDS.min(words.len())) {
                let mut folded = 0xcbf2_9ce4_8422_2325u64;
                for word in window {
                    let w = fnv1a(word.as_bytes(), 0);
                    folded = (folded.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                }
                let h = splitmix(folded);
                let bin = (((h >> 32) as u128 * NUM_HASHES as u128) >> 32) as usize;
                values[bin] = values[bin].min(h as u32);
                filled[bin] = true;
            }
            let original = values.clone();
            for i in 0..NUM_HASHES {
                if !filled[i] {
                    let mut draw = 0u64;
                    let j = loop {
                        let h = splitmix(((i as u64) << 32) ^ draw ^ DENSIFY_SEED);
                        let j = (((h >> 32) as u128 * NUM_HASHES as u128) >> 32) as usize;
                        if filled[j] {
                            break j;
                        }
                        draw += 1;
                    };
                    values[i] = original[j];
                }
            }
            values
        }
        for text in [STORY, "قصف", "قصف مدفعي", "", "a b c d", "٣ قتلى في 2024"] {
            let n = rasd_arabic::normalize(text);
            assert_eq!(
                Signature::of_normalized(n.as_str()).values,
                plain(n.as_str()),
                "{text}"
            );
            let words: Vec<&str> = words(n.as_str()).collect();
            assert_eq!(
                Signature::of_words(&words),
                Signature::of_normalized(n.as_str())
            );
        }
    }

    /// Texts of `len` distinct words from a fixed vocabulary, the second sharing its first
    /// `shared` words with the first: their shingle sets' true Jaccard similarity is known.
    fn pair(seed: u64, len: usize, shared: usize) -> (String, String, f64) {
        let word = |n: u64| format!("w{}", splitmix(seed ^ n) % 1_000_000_007);
        let a: Vec<String> = (0..len as u64).map(word).collect();
        let b: Vec<String> = (0..len as u64)
            .map(|i| {
                if (i as usize) < shared {
                    word(i)
                } else {
                    word(i + 10_000)
                }
            })
            .collect();
        let shingles = |w: &[String]| -> std::collections::HashSet<String> {
            w.windows(3).map(|s| s.join(" ")).collect()
        };
        let (sa, sb) = (shingles(&a), shingles(&b));
        let jaccard = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
        (a.join(" "), b.join(" "), jaccard)
    }

    /// The estimate follows the true similarity, for long reports (every bin filled) and
    /// for short ones (most bins borrowed): over many pairs, its mean error is near zero and
    /// its spread that of sixty independent draws.
    #[test]
    fn similarity_estimates_the_jaccard_similarity() {
        for (len, shared) in [(400, 300), (400, 100), (30, 20), (12, 8), (200, 0)] {
            let trials = 200;
            let (mut bias, mut spread) = (0.0, 0.0);
            for seed in 0..trials {
                let (a, b, jaccard) = pair(seed, len, shared);
                let error = Signature::of_normalized(&a).similarity(&Signature::of_normalized(&b))
                    - jaccard;
                bias += error / trials as f64;
                spread += error * error / trials as f64;
            }
            assert!(
                bias.abs() < 0.03,
                "{len} words, {shared} shared: bias {bias}"
            );
            assert!(
                spread.sqrt() < 0.1,
                "{len} words, {shared} shared: rms error {}",
                spread.sqrt()
            );
        }
    }

    #[test]
    fn the_same_words_in_another_order_are_another_shingle() {
        let a = Signature::of_text("قصف الطيران البلدة");
        let b = Signature::of_text("البلدة قصف الطيران");
        assert_ne!(a, b);
        assert_eq!(a, Signature::of_text("قصف  الطيران، البلدة"));
    }

    #[test]
    fn every_bin_of_a_text_with_words_holds_a_value() {
        for text in ["قصف", "قصف مدفعي على البلدة", STORY] {
            let s = Signature::of_text(text);
            assert!(
                s.values.iter().all(|&v| v != u32::MAX),
                "{text}: {:?}",
                s.values
            );
        }
    }

    #[test]
    fn identical_texts_have_similarity_one() {
        let a = Signature::of_text(STORY);
        assert_eq!(a.similarity(&Signature::of_text(STORY)), 1.0);
        assert_eq!(a.bands().len(), BANDS);
    }

    #[test]
    fn a_lightly_edited_copy_is_a_near_duplicate() {
        let edited = STORY.replace("صباح اليوم", "فجر اليوم") + " وفق ما أفاد مراسلنا";
        let a = Signature::of_text(STORY);
        let b = Signature::of_text(&edited);
        assert!(
            NearDuplicates::default().linked(&a, &b),
            "similarity {}",
            a.similarity(&b)
        );
        assert!(a.bands().iter().any(|k| b.bands().contains(k)));
    }

    #[test]
    fn spelling_variants_fold_before_hashing() {
        let a = Signature::of_text("قُتِلَ ثلاثةُ عناصرَ في إدلب");
        let b = Signature::of_text("قتل ثلاثه عناصر في ادلب");
        assert_eq!(a, b);
    }

    #[test]
    fn a_different_report_is_not() {
        let other = "أعلنت فصائل المعارضة في درعا تشكيل غرفة عمليات مشتركة لمواجهة الخلايا التي تنفذ عمليات الاغتيال في المنطقة الجنوبية منذ أشهر";
        let a = Signature::of_text(STORY);
        let b = Signature::of_text(other);
        assert!(a.similarity(&b) < 0.2, "{}", a.similarity(&b));
        assert!(!NearDuplicates::default().linked(&a, &b));
    }

    #[test]
    fn empty_text_links_to_nothing() {
        let e = Signature::of_text("  ... ");
        assert!(e.is_empty());
        assert!(e.bands().is_empty());
        assert_eq!(e.similarity(&e), 0.0);
    }

    #[test]
    fn bytes_round_trip() {
        let a = Signature::of_text(STORY);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
    }
}
