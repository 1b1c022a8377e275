//! Postings: the sorted stycke numbers a word occurs in, as a short JSON-safe string.
//!
//! Two encodings, whichever is shorter for the list at hand:
//! - gaps: each number minus the previous one minus one, in base 32, most significant
//!   digit first; `ALPHABET[0..32]` ends a number, `ALPHABET[32..64]` continues it.
//!   Rare words cost one to three characters per stycke.
//! - bitmap: `~` and then one character per six stycken, bit `j` of character `i`
//!   meaning stycke `6 i + j`. Words found in more than about a sixth of all stycken
//!   (och, att, kommunen) cost a sixth of a character per stycke instead.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BITMAP_MARK: char = '~';

/// `numbers` must be strictly increasing. The definition the index's [`Growing`]
/// postings are tested against.
#[cfg(test)]
pub fn encode(numbers: &[u32]) -> String {
    let gaps = encode_gaps(numbers);
    let bitmap_len = numbers.last().map_or(0, |&last| last as usize / 6 + 2);
    if bitmap_len < gaps.len() {
        encode_bitmap(numbers)
    } else {
        gaps
    }
}

#[cfg(test)]
fn encode_gaps(numbers: &[u32]) -> String {
    let mut out = String::with_capacity(numbers.len() * 2);
    let mut previous: Option<u32> = None;
    for &number in numbers {
        let gap = match previous {
            Some(p) => number - p - 1,
            None => number,
        };
        previous = Some(number);
        push_gap(&mut out, gap);
    }
    out
}

/// Ranges of stycke numbers, `(first, count)`, sorted and apart: for each, the gap
/// from the end of the one before (from 0 for the first) and `count - 1`, as gaps are
/// written. A heading's words find every stycke of its clause this way.
pub fn encode_ranges(ranges: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(ranges.len() * 2);
    let mut end = 0;
    for &(first, count) in ranges {
        push_gap(&mut out, first - end);
        push_gap(&mut out, count.max(1) - 1);
        end = first + count.max(1);
    }
    out
}

/// Numbers one after the other, each written as a gap is (for the table of pages).
pub fn encode_numbers(numbers: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    for number in numbers {
        push_gap(&mut out, number);
    }
    out
}

/// One gap in base 32, most significant digit first.
fn push_gap(out: &mut String, mut gap: u32) {
    let mut digits = [0u8; 8];
    let mut count = 0;
    loop {
        digits[count] = (gap % 32) as u8;
        count += 1;
        gap /= 32;
        if gap == 0 {
            break;
        }
    }
    for (position, &digit) in digits[..count].iter().enumerate().rev() {
        let continues = if position > 0 { 32 } else { 0 };
        out.push(ALPHABET[usize::from(digit + continues)] as char);
    }
}

/// A word's postings while the index is built, kept in the gap encoding as they come
/// (about a byte a stycke, where a list of numbers takes four): the first number
/// apart, so that the postings of a later part of the site can be appended.
#[derive(Debug, Clone)]
pub struct Growing {
    first: u32,
    last: u32,
    /// The gaps after `first`.
    rest: String,
}

impl Growing {
    pub fn new(number: u32) -> Growing {
        Growing {
            first: number,
            last: number,
            rest: String::new(),
        }
    }

    /// Adds `number`, greater than every number so far.
    pub fn push(&mut self, number: u32) {
        push_gap(&mut self.rest, number - self.last - 1);
        self.last = number;
    }

    /// Adds `later`, whose numbers all come after these.
    pub fn append(&mut self, later: Growing) {
        push_gap(&mut self.rest, later.first - self.last - 1);
        self.rest.push_str(&later.rest);
        self.last = later.last;
    }

    /// What [`encode`] gives for the numbers added.
    pub fn finish(self) -> String {
        let mut gaps = String::with_capacity(self.rest.len() + 2);
        push_gap(&mut gaps, self.first);
        gaps.push_str(&self.rest);
        let bitmap_len = self.last as usize / 6 + 2;
        if bitmap_len < gaps.len() {
            encode_bitmap(&decode_gaps(&gaps))
        } else {
            gaps
        }
    }
}

/// The numbers of a gap encoding made here (`encode_gaps`).
fn decode_gaps(encoded: &str) -> Vec<u32> {
    let mut numbers = Vec::new();
    let (mut next, mut gap) = (0u32, 0u32);
    for c in encoded.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
        gap = gap * 32 + digit % 32;
        if digit < 32 {
            numbers.push(next + gap);
            next += gap + 1;
            gap = 0;
        }
    }
    numbers
}

fn encode_bitmap(numbers: &[u32]) -> String {
    let Some(&last) = numbers.last() else {
        return String::new();
    };
    let mut cells = vec![0u8; last as usize / 6 + 1];
    for &number in numbers {
        cells[number as usize / 6] |= 1 << (number % 6);
    }
    let mut out = String::with_capacity(cells.len() + 1);
    out.push(BITMAP_MARK);
    out.extend(
        cells
            .iter()
            .map(|&cell| ALPHABET[usize::from(cell)] as char),
    );
    out
}

/// The inverse of `encode`, for tests (the browser has its own copy).
#[cfg(test)]
fn decode(encoded: &str) -> Option<Vec<u32>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    let mut numbers = Vec::new();
    if let Some(cells) = encoded.strip_prefix(BITMAP_MARK) {
        for (index, c) in cells.bytes().enumerate() {
            let cell = value(c)?;
            for bit in 0..6 {
                if cell & (1 << bit) != 0 {
                    numbers.push(index as u32 * 6 + bit);
                }
            }
        }
        return Some(numbers);
    }
    let mut next: u32 = 0;
    let mut gap: u32 = 0;
    for c in encoded.bytes() {
        let digit = value(c)?;
        gap = gap.checked_mul(32)?.checked_add(digit % 32)?;
        if digit < 32 {
            let number = next.checked_add(gap)?;
            numbers.push(number);
            next = number.checked_add(1)?;
            gap = 0;
        }
    }
    Some(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_lists_use_gaps_and_round_trip() {
        let numbers = [0, 1, 31, 32, 33, 1_000, 40_000, 1_000_000];
        let encoded = encode(&numbers);
        assert!(!encoded.starts_with(BITMAP_MARK));
        // 0 and 1: gap 0 each; 31: gap 29 (d); 32, 33: gap 0; then 2, 3 and 4 digits.
        assert_eq!(&encoded[..5], "AAdAA");
        assert_eq!(decode(&encoded).as_deref(), Some(&numbers[..]));
    }

    #[test]
    fn dense_lists_use_a_bitmap_and_round_trip() {
        let numbers: Vec<u32> = (0..600).filter(|n| n % 3 != 0).collect();
        let encoded = encode(&numbers);
        assert!(encoded.starts_with(BITMAP_MARK));
        assert_eq!(encoded.len(), 1 + 100);
        assert_eq!(decode(&encoded), Some(numbers));
    }

    #[test]
    fn growing_postings_appended_in_parts_encode_as_the_whole_list() {
        // Sparse, dense, first number zero or large, parts of one number.
        let lists: Vec<Vec<u32>> = vec![
            vec![0],
            vec![7, 8, 40, 1_000, 33_000, 1_048_576],
            (0..600).filter(|n| n % 3 != 0).collect(),
            (100..5_000).step_by(7).collect(),
            (0..2_000).filter(|n| n % 97 == 0 || n % 5 == 1).collect(),
        ];
        for numbers in &lists {
            for parts in [1, 2, 3, 7] {
                let size = numbers.len().div_ceil(parts).max(1);
                let mut whole: Option<Growing> = None;
                for part in numbers.chunks(size) {
                    let mut growing = Growing::new(part[0]);
                    for &number in &part[1..] {
                        growing.push(number);
                    }
                    match whole.as_mut() {
                        Some(earlier) => earlier.append(growing),
                        None => whole = Some(growing),
                    }
                }
                let encoded = whole.expect("a number").finish();
                assert_eq!(encoded, encode(numbers), "{parts} parts of {numbers:?}");
                assert_eq!(decode(&encoded).as_deref(), Some(&numbers[..]));
            }
        }
    }

    #[test]
    fn ranges_are_gaps_and_lengths() {
        // 3 (gap 3) for 2, then 10 (gap 10 - 5) for 1.
        assert_eq!(encode_ranges(&[(3, 2), (10, 1)]), "DBFA");
        assert_eq!(decode_gaps(&encode_numbers([3, 1, 5, 0])), [3, 5, 11, 12]);
        assert_eq!(encode_numbers([40]), "hI");
    }

    #[test]
    fn empty_and_broken_input() {
        assert_eq!(encode(&[]), "");
        assert_eq!(decode(""), Some(vec![]));
        assert_eq!(decode("\"x"), None);
    }
}
