//! Tokenizing shared by the classifier and retrieval: lowercase, split on anything that is not a
//! letter or digit, drop apostrophes inside words, and stem with the Snowball English stemmer.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Stemmed tokens in order of appearance.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(STEMMER.stem(word).into_owned());
            word.clear();
        }
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        } else if (ch == '\'' || ch == '’') && !word.is_empty() {
            // "don't" -> "dont", "boss's" -> "bosss" -> stemmed with the rest.
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

const STOP: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "ani", "are", "as", "at", "be",
    "becaus", "been", "but", "by", "can", "could", "did", "do", "doe", "dont", "for", "from",
    "get", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "im", "in", "into",
    "is", "it", "ive", "just", "like", "me", "more", "my", "no", "not", "now", "of", "on", "one",
    "or", "our", "out", "over", "realli", "so", "some", "than", "that", "the", "their", "them",
    "then", "there", "they", "this", "to", "up", "us", "veri", "wa", "want", "we", "were", "what",
    "when", "whi", "which", "who", "will", "with", "would", "you", "your",
];

/// Very common words that carry no topic. Used by retrieval only: for the classifier, phrasing
/// such as "should I" is signal.
pub fn is_stopword(stemmed: &str) -> bool {
    STOP.binary_search(&stemmed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercased_stemmed_and_split() {
        assert_eq!(
            tokens("Quitting my JOB, don't I? (2 weeks)"),
            ["quit", "my", "job", "dont", "i", "2", "week"]
        );
        assert!(tokens("  ...  ").is_empty());
    }

    #[test]
    fn stopword_list_is_sorted_for_binary_search() {
        assert!(STOP.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stopword("the") && is_stopword("your") && !is_stopword("quit"));
    }
}
