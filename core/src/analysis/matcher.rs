//! Near-miss matching: is an unknown code-shaped token a misspelling of exactly one known code?
//!
//! Precision comes first. A token is a misspelling only when
//! - it is at least [`MIN_LEN`] bytes long,
//! - its edit distance (optimal string alignment: insert, delete, substitute, swap two
//!   neighbours) to the best code is within a bound that grows with length,
//! - the edit looks like a typo: the first letter is kept, a short word (4 letters or fewer) is
//!   never swapped for another by a consonant substitution (`INVALID_POST` is not
//!   `INVALID_HOST`) unless the code is long and its other words match exactly
//!   (`SAGN_INVALID_ERROR`), a vowel changed in a short word is a typo (`BID_GATEWAY`) unless
//!   the result is a common word ([`COMMON_WORDS`]: `SERVICE_NOW_READY` is not `SERVICE_NOT_READY`), and
//!   underscores only move when the letters stay almost the same,
//! - and the best code is strictly closer than every other code (a margin of one edit).
//!
//! A literal without an underscore is a misspelling only when it is exactly a known code with
//! its underscores dropped (`INVALIDPARAM`, `BADGATEWAY`), and no other code drops to it.
//!
//! Speed matters: every unknown UPPER_SNAKE literal of a repository goes through here, and
//! almost all of them are far from every code. Codes are bucketed by first letter and sorted by
//! length, so only codes of a possible length are looked at; each is then ruled out by the set
//! of symbols it uses (one `xor` and a popcount), by letter counts (each edit changes the counts
//! by at most two), and only the survivors get an edit distance, computed on bytes with an early
//! exit once the bound is exceeded. [`Matcher::classify`] runs the filters alone (and tells known
//! codes apart on the way), so callers can skip caching the verdicts on the many tokens that no
//! code is near.

use rustc_hash::FxHashMap;

use super::tokens::is_code_shaped;

/// Tokens shorter than this are never flagged (`API_KEY`, `NODE_ENV`).
pub const MIN_LEN: usize = 8;

/// The largest edit distance accepted for a token of `len` bytes.
pub fn max_distance(len: usize) -> usize {
    match len {
        0..MIN_LEN => 0,
        MIN_LEN..=15 => 1,
        16..=23 => 2,
        _ => 3,
    }
}

/// Counts of `A`-`Z`, `0`-`9` and `_` in a code.
type Histogram = [u8; 37];

/// The letter counts of `s`.
fn histogram(s: &[u8]) -> Histogram {
    let mut h = [0u8; 37];
    for &b in s {
        let i = usize::from(SYMBOL[usize::from(b)]);
        h[i] = h[i].saturating_add(1);
    }
    h
}

/// The set of symbols of `s` as bits: bit `i` is set when `histogram(s)[i] > 0`.
fn symbols(s: &[u8]) -> u64 {
    s.iter().fold(0, |mask, &b| mask | 1 << SYMBOL[usize::from(b)])
}

/// The histogram slot of each byte: `A`-`Z` 0-25, `0`-`9` 26-35, anything else 36.
static SYMBOL: [u8; 256] = {
    let mut table = [36u8; 256];
    let mut b = 0;
    while b < 26 {
        table[b'A' as usize + b] = b as u8;
        b += 1;
    }
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = 26 + d as u8;
        d += 1;
    }
    table
};

/// A lower bound of the edit distance from the symbol sets alone: an insertion or a deletion
/// adds or removes at most one symbol, a substitution at most one of each, a swap none.
fn mask_bound(a: u64, b: u64) -> usize {
    ((a ^ b).count_ones() as usize).div_ceil(2)
}

/// Half the L1 distance of two histograms: a lower bound of the edit distance.
fn histogram_bound(a: &Histogram, b: &Histogram) -> usize {
    let l1: usize = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum();
    l1.div_ceil(2)
}

#[derive(Debug)]
struct Candidate {
    code: String,
    histogram: Histogram,
    mask: u64,
}

/// The known codes, bucketed by first letter (`A`-`Z`) and sorted by length in each bucket.
#[derive(Debug, Default)]
pub struct Matcher {
    by_first: [Bucket; 26],
    /// Each code of [`MIN_LEN`] letters or more without its underscores -> the code, or `None`
    /// when two codes drop to the same letters.
    joined: FxHashMap<Box<str>, Option<Box<str>>>,
    /// The longest key of `joined`, to reject longer words before hashing them.
    longest_joined: usize,
}

/// The codes of one first letter, sorted by length, with where each length starts.
#[derive(Debug, Default)]
struct Bucket {
    codes: Vec<Candidate>,
    /// The codes' symbol sets, kept apart so the first filter runs over one small array.
    masks: Vec<u64>,
    /// `starts[n]`: the index of the first code of `n` bytes or more, for `n` below
    /// [`Bucket::INDEXED`].
    starts: Vec<u32>,
}

impl Bucket {
    const INDEXED: usize = 64;

    /// The index of the first code of `len` bytes or more.
    fn start(&self, len: usize) -> usize {
        match self.starts.get(len) {
            Some(&start) => start as usize,
            None => self.codes.partition_point(|c| c.code.len() < len),
        }
    }
}

/// One token against a range of a bucket's codes: the cheap filters, with the token's letter
/// counts computed only when some code gets that far.
struct Probe<'a> {
    token: &'a str,
    bound: usize,
    bucket: &'a Bucket,
    range: std::ops::Range<usize>,
    mask: u64,
    counts: Option<Histogram>,
}

impl Probe<'_> {
    /// Code `i`'s symbol set is close enough to the token's for the bound.
    fn symbols_close(&self, i: usize) -> bool {
        mask_bound(self.mask, self.bucket.masks[i]) <= self.bound
    }

    /// Code `i`'s letter counts are close enough to the token's for the bound.
    fn counts_close(&mut self, i: usize) -> bool {
        let token = self.token.as_bytes();
        histogram_bound(self.counts.get_or_insert_with(|| histogram(token)), &self.bucket.codes[i].histogram)
            <= self.bound
    }
}

/// What a token is to the known codes (see [`Matcher::classify`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Known,
    Near,
    Far,
}

/// The outcome of matching an unknown token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// Plausible codes, best first. The first is strictly closer than the rest.
    pub suggestions: Vec<String>,
    pub distance: usize,
}

impl Matcher {
    /// Builds a matcher over the code-shaped codes among `codes`.
    pub fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> Matcher {
        let mut matcher = Matcher::default();
        for code in codes {
            if is_code_shaped(code) {
                let list = &mut matcher.by_first[usize::from(code.as_bytes()[0] - b'A')].codes;
                if !list.iter().any(|c| c.code == code) {
                    let (histogram, mask) = (histogram(code.as_bytes()), symbols(code.as_bytes()));
                    list.push(Candidate { code: code.to_string(), histogram, mask });
                }
            }
        }
        for code in matcher.by_first.iter().flat_map(|b| &b.codes) {
            let joined: String = code.code.chars().filter(|&c| c != '_').collect();
            if joined.len() >= MIN_LEN {
                matcher.longest_joined = matcher.longest_joined.max(joined.len());
                matcher
                    .joined
                    .entry(joined.into())
                    .and_modify(|other| *other = None)
                    .or_insert_with(|| Some(code.code.as_str().into()));
            }
        }
        for bucket in &mut matcher.by_first {
            bucket.codes.sort_by(|a, b| (a.code.len(), &a.code).cmp(&(b.code.len(), &b.code)));
            bucket.masks = bucket.codes.iter().map(|c| c.mask).collect();
            bucket.starts =
                (0..Bucket::INDEXED).map(|len| bucket.codes.partition_point(|c| c.code.len() < len) as u32).collect();
        }
        matcher
    }

    /// `token` against the codes of its first letter whose length is within `bound` of its
    /// own; `None` when there are none.
    fn probe<'a>(&'a self, token: &'a str, bound: usize) -> Option<Probe<'a>> {
        let bucket = match token.as_bytes().first() {
            Some(b @ b'A'..=b'Z') => &self.by_first[usize::from(b - b'A')],
            _ => return None,
        };
        let range = bucket.start(token.len().saturating_sub(bound))..bucket.start(token.len() + bound + 1);
        let mask = symbols(token.as_bytes());
        (!range.is_empty()).then_some(Probe { token, bound, bucket, range, mask, counts: None })
    }

    /// The codes that pass the cheap filters for `token` (first letter, length, symbol set,
    /// letter counts), with the distance bound; none when `token` is too short to be flagged.
    fn candidates<'a>(&'a self, token: &'a str) -> (usize, impl Iterator<Item = &'a Candidate> + 'a) {
        let bound = max_distance(token.len());
        let probe = self.probe(token, bound).filter(|_| bound > 0);
        let filtered = probe.into_iter().flat_map(move |mut p| {
            p.range.clone().filter_map(move |i| {
                let c = &p.bucket.codes[i];
                (p.symbols_close(i) && p.counts_close(i) && c.code != token).then_some(c)
            })
        });
        (bound, filtered)
    }

    /// What `token` (code-shaped) is to the codes, in one pass over the codes of its first
    /// letter and about its length: one of them, possibly a near miss (some code passes the
    /// cheap filters; [`Matcher::near_miss`] decides), or far from all of them.
    pub fn classify(&self, token: &str) -> Class {
        let bound = max_distance(token.len());
        let Some(mut p) = self.probe(token, bound) else { return Class::Far };
        let mut near = false;
        for i in p.range.clone() {
            if !p.symbols_close(i) {
                continue;
            }
            if p.mask == p.bucket.masks[i] && p.bucket.codes[i].code == token {
                return Class::Known;
            }
            near = near || (bound > 0 && p.counts_close(i));
        }
        if near {
            Class::Near
        } else {
            Class::Far
        }
    }

    /// The code that `word` (upper-case letters and digits, no underscore) is with its
    /// underscores dropped, when exactly one code is.
    pub fn joined(&self, word: &str) -> Option<&str> {
        if word.len() < MIN_LEN || word.len() > self.longest_joined {
            return None;
        }
        self.joined.get(word)?.as_deref()
    }

    /// Ranked suggestions for `token` (which must not itself be a known code), or `None` when
    /// no code is clearly the one meant. A token without an underscore is only ever a code
    /// with its underscores dropped ([`Matcher::joined`]).
    pub fn near_miss(&self, token: &str) -> Option<NearMiss> {
        if !token.contains('_') {
            let code = self.joined(token)?;
            let distance = code.len() - token.len();
            return Some(NearMiss { suggestions: vec![code.to_string()], distance });
        }
        let (bound, candidates) = self.candidates(token);
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for c in candidates {
            let Some(d) = osa_bounded(token.as_bytes(), c.code.as_bytes(), bound) else { continue };
            if looks_like_typo(token, &c.code) {
                scored.push((d, &c.code));
            }
        }
        scored.sort();
        let (best, rest) = scored.split_first()?;
        if rest.first().is_some_and(|(d, _)| *d <= best.0) {
            return None;
        }
        Some(NearMiss { suggestions: scored.iter().map(|(_, c)| c.to_string()).collect(), distance: best.0 })
    }
}

/// The optimal-string-alignment distance of `a` and `b` if it is at most `bound`.
pub fn osa_bounded(a: &[u8], b: &[u8], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let n = b.len();
    // Three rows: two back (for transpositions), previous, current; on the stack for codes of
    // usual length.
    let mut stack = [0usize; 3 * 64];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if 3 * (n + 1) <= stack.len() {
        &mut stack[..3 * (n + 1)]
    } else {
        heap.resize(3 * (n + 1), 0);
        &mut heap
    };
    let (mut pp, mut p, mut c) = (0, n + 1, 2 * (n + 1));
    for (j, cell) in rows[p..p + n + 1].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[c] = i;
        let mut row_min = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[p + j] + 1).min(rows[c + j - 1] + 1).min(rows[p + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[pp + j - 2] + 1);
            }
            rows[c + j] = d;
            row_min = row_min.min(d);
        }
        if row_min > bound {
            return None;
        }
        (pp, p, c) = (p, c, pp);
    }
    let d = rows[p + n];
    (d <= bound).then_some(d)
}

/// Whether turning `token` into `code` looks like a typing slip rather than a different name.
fn looks_like_typo(token: &str, code: &str) -> bool {
    let tw = token.split('_');
    let cw = code.split('_');
    if tw.clone().count() != cw.clone().count() {
        // Underscores were added, dropped or moved: the letters must stay within one edit.
        let strip = |s: &str| s.bytes().filter(|b| *b != b'_').collect::<Vec<u8>>();
        return osa_bounded(&strip(token), &strip(code), 1).is_some();
    }
    // A short word with a letter substituted is usually another word (HOST / POST), unless a
    // vowel was changed or the rest of a long code pins the code down, and the result is not a
    // common word itself.
    let long = code.bytes().filter(|&b| b == b'_').count() >= 2;
    let differing = tw.clone().zip(cw.clone()).filter(|(t, c)| t != c).count();
    tw.zip(cw).all(|(t, c)| {
        t == c
            || c.len() > 4
            || t.len() != c.len()
            || is_transposition(t, c)
            || match substitution(t, c) {
                Some((a, b)) => (is_vowel(a) && is_vowel(b) || long && differing == 1) && !is_common_word(t),
                None => false,
            }
    })
}

/// The one pair of bytes (of `a`, of `b`) at which `a` and `b`, of equal length, differ, if
/// they differ at exactly one place.
fn substitution(a: &str, b: &str) -> Option<(u8, u8)> {
    let mut diffs = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y);
    let first = diffs.next()?;
    diffs.next().is_none().then_some(first)
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Common English words of two to four letters, as found in identifiers and other libraries'
/// codes: a short word of a code turned into one of these by a substitution is another word,
/// not a typo (`BED_REQUEST`, `SERVICE_NOW_READY`, `INVALID_PORT`).
pub const COMMON_WORDS: &[&str] = &[
    "ACT", "ADD", "AGE", "AGO", "AID", "AIM", "AIR", "ALL", "AND", "ANY", "APP", "ARE", "ARM", "ART", "ASK", "BAD",
    "BAG", "BAN", "BAR", "BED", "BET", "BIG", "BIN", "BIT", "BOT", "BOX", "BOY", "BUD", "BUG", "BUS", "BUT", "BUY",
    "CAN", "CAP", "CAR", "CAT", "CUT", "DAY", "DEN", "DID", "DIE", "DIG", "DIM", "DOC", "DOG", "DOT", "DRY", "DUE",
    "EAR", "EAT", "END", "ERA", "EYE", "FAN", "FAR", "FAT", "FEE", "FEW", "FIT", "FIX", "FLY", "FOR", "FUN", "GAP",
    "GAS", "GET", "GOT", "GUN", "GUT", "HAD", "HAS", "HAT", "HER", "HID", "HIM", "HIS", "HIT", "HOT", "HOW", "HUB",
    "HUT", "ICE", "ILL", "INK", "ITS", "JOB", "KEY", "KID", "KIT", "LAB", "LAG", "LAY", "LED", "LEG", "LET", "LID",
    "LIE", "LIT", "LOG", "LOT", "LOW", "MAP", "MAX", "MAY", "MEN", "MET", "MID", "MIN", "MIX", "MOB", "MUD", "NET",
    "NEW", "NIL", "NOR", "NOT", "NOW", "NUT", "OFF", "OIL", "OLD", "ONE", "OUR", "OUT", "OWN", "PAD", "PAN", "PAY",
    "PEN", "PER", "PET", "PIN", "PIT", "POD", "POP", "POT", "PUB", "PUT", "RAN", "RAW", "RED", "RID", "ROW", "RUN",
    "SAD", "SAT", "SAW", "SAY", "SEA", "SEE", "SET", "SHE", "SIT", "SIX", "SKY", "SON", "SUM", "SUN", "TAB", "TAG",
    "TAN", "TAP", "TAX", "TEN", "THE", "TIE", "TIP", "TOO", "TOP", "TOY", "TRY", "TWO", "USE", "VAN", "VIA", "WAR",
    "WAS", "WAY", "WEB", "WET", "WHO", "WHY", "WIN", "WON", "YES", "YET", "YOU", "ZIP", "BACK", "BAIL", "BALL", "BAND",
    "BANK", "BASE", "BEAT", "BEEN", "BELL", "BEST", "BILL", "BIND", "BIRD", "BLOB", "BODY", "BOLD", "BOND", "BONE",
    "BOOK", "BOOT", "BORN", "BOTH", "BULK", "BURN", "BUSY", "CALL", "CAME", "CARD", "CARE", "CART", "CASE", "CASH",
    "CELL", "CHAT", "CITY", "CODE", "COIN", "COLD", "COME", "COOL", "COPY", "CORE", "COST", "DARK", "DATA", "DATE",
    "DEAD", "DEAL", "DEBT", "DENY", "DESK", "DIAL", "DIFF", "DIRT", "DISK", "DONE", "DOOR", "DOWN", "DRAW", "DROP",
    "DUMP", "DUST", "DUTY", "EACH", "EAST", "EASY", "EDGE", "EDIT", "ELSE", "EMIT", "ENUM", "EVEN", "EVER", "EXEC",
    "EXIT", "FACE", "FACT", "FAIL", "FALL", "FAST", "FEED", "FEEL", "FILE", "FILL", "FILM", "FIND", "FINE", "FIRE",
    "FLAG", "FLAT", "FLOW", "FOLD", "FONT", "FOOD", "FOOT", "FORK", "FORM", "FREE", "FROM", "FUEL", "FULL", "FUND",
    "GAIN", "GAME", "GATE", "GAVE", "GIFT", "GIVE", "GLAD", "GOAL", "GOES", "GOLD", "GONE", "GOOD", "GRAB", "GRID",
    "GROW", "HALF", "HALL", "HAND", "HANG", "HARD", "HASH", "HAVE", "HEAD", "HEAR", "HEAT", "HELD", "HELP", "HERE",
    "HIDE", "HIGH", "HINT", "HOLD", "HOLE", "HOME", "HOOK", "HOPE", "HOST", "HOUR", "HUGE", "HUNT", "ICON", "IDEA",
    "IDLE", "INFO", "INIT", "INTO", "ITEM", "JOIN", "JUMP", "JUST", "KEEP", "KEPT", "KILL", "KIND", "KNOW", "LACK",
    "LAND", "LANE", "LAST", "LATE", "LEAD", "LEFT", "LEND", "LESS", "LIFE", "LIKE", "LIMB", "LINE", "LINK", "LIST",
    "LIVE", "LOAD", "LOAN", "LOCK", "LONG", "LOOK", "LOOP", "LORD", "LOSE", "LOSS", "LOST", "LOVE", "MADE", "MAIL",
    "MAIN", "MAKE", "MALE", "MANY", "MARK", "MASK", "MASS", "MATH", "MEAN", "MEET", "MEMO", "MENU", "MESH", "MILE",
    "MIND", "MINE", "MISS", "MODE", "MORE", "MOST", "MOVE", "MUCH", "MUST", "MUTE", "NAME", "NEAR", "NEED", "NEST",
    "NEWS", "NEXT", "NICE", "NODE", "NONE", "NOTE", "ONCE", "ONLY", "OPEN", "OVER", "PACK", "PAGE", "PAID", "PAIR",
    "PALL", "PART", "PASS", "PAST", "PATH", "PEAK", "PEER", "PICK", "PING", "PIPE", "PLAN", "PLAY", "PLUS", "POLL",
    "POOL", "PORT", "POST", "PULL", "PUSH", "RACE", "RAIN", "RANK", "RATE", "READ", "REAL", "RELY", "RENT", "REST",
    "RICH", "RIDE", "RING", "RISE", "RISK", "ROAD", "ROLE", "ROLL", "ROOM", "ROOT", "RULE", "RUSH", "SAFE", "SAID",
    "SALE", "SALT", "SAME", "SAND", "SAVE", "SEAT", "SEED", "SEEK", "SEEN", "SELF", "SELL", "SEND", "SENT", "SHIP",
    "SHOP", "SHOT", "SHOW", "SHUT", "SIDE", "SIGN", "SING", "SITE", "SIZE", "SKIP", "SLOT", "SLOW", "SNAP", "SOFT",
    "SOLD", "SOME", "SONG", "SOON", "SORT", "SPAN", "SPIN", "STAR", "STAY", "STEP", "STOP", "SUCH", "SUIT", "SURE",
    "SYNC", "TAIL", "TAKE", "TALK", "TALL", "TANK", "TASK", "TEAM", "TELL", "TEMP", "TERM", "TEST", "TEXT", "THAN",
    "THAT", "THEM", "THEN", "THEY", "THIS", "TICK", "TIDE", "TIED", "TILE", "TIME", "TINY", "TOLD", "TONE", "TOOK",
    "TOOL", "TOUR", "TOWN", "TREE", "TRIM", "TRUE", "TUNE", "TURN", "TYPE", "UNIT", "UPON", "USED", "USER", "USES",
    "VARY", "VAST", "VERB", "VERY", "VIEW", "VOTE", "WAIT", "WAKE", "WALK", "WALL", "WANT", "WARM", "WARN", "WASH",
    "WAVE", "WEAK", "WEAR", "WEEK", "WELL", "WENT", "WERE", "WEST", "WHAT", "WHEN", "WIDE", "WIFE", "WILD", "WILL",
    "WIND", "WINE", "WING", "WIRE", "WISE", "WISH", "WITH", "WORD", "WORE", "WORK", "WRAP", "YARD", "YEAR", "ZERO",
    "ZONE", "ZOOM",
];

fn is_common_word(word: &str) -> bool {
    COMMON_WORDS.contains(&word)
}

/// `a` and `b` differ by swapping two neighbouring characters.
fn is_transposition(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diffs.len() == 2 && diffs[1] == diffs[0] + 1 && a[diffs[0]] == b[diffs[1]] && a[diffs[1]] == b[diffs[0]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_distance_agrees_with_strsim_within_the_bound() {
        let words = [
            "EXCEED_RATELIMIT",
            "EXCEED_RATE_LIMIT",
            "EXCEDE_RATELIMIT",
            "FUNCTION_NOT_FOUND",
            "FUNCTON_NOT_FOUND",
            "FUNCTION_NOT_FUOND",
            "AB",
            "BA",
            "",
            "INVALID_ENV",
            "INVALID_EVN",
            "INVALID_ENV_ID",
        ];
        for a in words {
            for b in words {
                let want = strsim::osa_distance(a, b);
                for bound in 0..4 {
                    let got = osa_bounded(a.as_bytes(), b.as_bytes(), bound);
                    assert_eq!(got, (want <= bound).then_some(want), "{a} {b} bound {bound}");
                }
            }
        }
    }

    #[test]
    fn the_filters_are_lower_bounds() {
        for (a, b) in [("EXCEED_RATELIMIT", "EXCEED_RATE_LIMIT"), ("ABCD", "BADC"), ("SYS_ERR", "SERVER_TIMEOUT")] {
            assert_lower_bounds(a, b);
        }
    }

    fn assert_lower_bounds(a: &str, b: &str) {
        let (ha, hb) = (histogram(a.as_bytes()), histogram(b.as_bytes()));
        let (ma, mb) = (symbols(a.as_bytes()), symbols(b.as_bytes()));
        for (h, m) in [(ha, ma), (hb, mb)] {
            assert!((0..37).all(|i| (h[i] > 0) == (m >> i & 1 == 1)), "symbol set of {a} / {b}");
        }
        let distance = strsim::osa_distance(a, b);
        assert!(histogram_bound(&ha, &hb) <= distance, "histogram bound {a} {b}");
        assert!(mask_bound(ma, mb) <= distance, "symbol-set bound {a} {b}");
    }

    const CODES: [&str; 6] =
        ["EXCEED_RATELIMIT", "INVALID_ENV", "INVALID_PARAM", "NETWORK_ERROR", "INVALID_ENV_ID", "FUNCTION_NOT_FOUND"];

    #[test]
    fn classify_filters() {
        let matcher = Matcher::new(CODES);
        for near in ["EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND", "INVALID_EVN"] {
            assert!(matcher.classify(near) == Class::Near && matcher.near_miss(near).is_some(), "{near}");
        }
        for code in CODES {
            assert_eq!(matcher.classify(code), Class::Known, "{code}");
        }
        assert_eq!(Matcher::new(["SYS_ERR"]).classify("SYS_ERR"), Class::Known, "short codes are known too");
        // Codes longer than the length index still have their near misses.
        let long = format!("LONG_{}", "X_".repeat(40)) + "END";
        let typo = long.replace("END", "EDN");
        assert_eq!(Matcher::new([long.as_str()]).near_miss(&typo).map(|m| m.suggestions), Some(vec![long.clone()]));
        // Wrong first letter, wrong length, other letters.
        for far in ["XEXCEED_RATELIMIT", "EXCEED_RATELIMIT_FOR_A_LONG_TIME", "EXPORT_DATA_NOW", "EXCEED"] {
            assert_eq!(matcher.classify(far), Class::Far, "{far}");
        }
    }

    proptest::proptest! {
        /// Short strings over a small alphabet, so that many pairs are within a few edits.
        #[test]
        fn the_filters_never_exceed_the_distance(a in "[ABC_1]{0,12}", b in "[ABC_1]{0,12}") {
            assert_lower_bounds(&a, &b);
        }

        /// `classify` says `Far` only where `near_miss` finds nothing, and `Known` exactly for
        /// the codes, on tokens one or two edits away from a code (where near misses are).
        #[test]
        fn classify_never_hides_a_near_miss(
            code in proptest::sample::select(&CODES[..]),
            edits in proptest::collection::vec((0..4u8, 0..32usize, "[A-Z_]"), 1..3),
        ) {
            let mut token = code.as_bytes().to_vec();
            for (op, at, c) in edits {
                let at = at % token.len().max(1);
                let c = c.as_bytes()[0];
                match op {
                    0 => token.insert(at, c),
                    1 if token.len() > 1 => { token.remove(at); }
                    2 => token[at] = c,
                    _ if at + 1 < token.len() => token.swap(at, at + 1),
                    _ => {}
                }
            }
            let token = String::from_utf8(token).unwrap();
            proptest::prop_assume!(super::super::tokens::is_code_shaped(&token));
            let matcher = Matcher::new(CODES);
            let class = matcher.classify(&token);
            proptest::prop_assert_eq!(class == Class::Known, CODES.contains(&token.as_str()), "{}", token);
            if matcher.near_miss(&token).is_some() {
                proptest::prop_assert_eq!(class, Class::Near, "{}", token);
            }
        }
    }
}
