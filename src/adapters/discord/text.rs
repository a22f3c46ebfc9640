//! Text helpers for Discord: mention markup, truncation and splitting by characters (Discord
//! counts characters, not bytes).

/// Removes `<@id>`, `<@!id>`, `<@&id>` and `<#id>` markup.
pub fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match mention_len(tail) {
            Some(len) => rest = &tail[len..],
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Length in bytes of the mention markup at the start of `s`, if there is one.
fn mention_len(s: &str) -> Option<usize> {
    let body = s
        .strip_prefix("<@!")
        .or_else(|| s.strip_prefix("<@&"))
        .or_else(|| s.strip_prefix("<@"))
        .or_else(|| s.strip_prefix("<#"))?;
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && body[digits..].starts_with('>')).then(|| s.len() - body.len() + digits + 1)
}

/// At most `max` characters, ending in "…" when cut (at a space when one is near).
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if cut[i..].chars().count() < 20 => cut[..i].trim_end().to_owned(),
        _ => cut,
    };
    format!("{cut}…")
}

/// Splits `text` into pieces of at most `max` characters, at a line break or space when possible.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let hard = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..hard];
        // A break in the second half of the window; pieces stay reasonably full.
        let late = |i: &usize| *i >= window.len() / 2;
        let cut = window
            .rfind('\n')
            .filter(late)
            .or_else(|| window.rfind(' ').filter(late))
            .unwrap_or(hard);
        pieces.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_markup_keeps_other_angle_brackets() {
        assert_eq!(
            strip_markup("a <@!1> b <#2> c <3 <@x> <@"),
            "a  b  c <3 <@x> <@"
        );
    }

    #[test]
    fn split_prefers_breaks_and_respects_the_limit() {
        let text = format!("{}\n{}", "a".repeat(10), "b ".repeat(30));
        let pieces = split(&text, 20);
        assert_eq!(pieces[0], "a".repeat(10));
        assert!(pieces
            .iter()
            .all(|p| p.chars().count() <= 20 && !p.is_empty()));
        let glued = "é".repeat(45);
        assert_eq!(split(&glued, 20).len(), 3);
    }
}
