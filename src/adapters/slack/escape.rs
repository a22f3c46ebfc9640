//! Text for Slack's mrkdwn. Everything that didn't come from us (the question, and snippet
//! text moderators wrote) goes through `escape`, so `<!channel>`, `<!here>`, `<!everyone>`,
//! `<!subteam^…>` (user groups), `<@U…>` or `<https://…|spoofed label>` inside it reach Slack as
//! plain characters and never ping anyone or disguise a link.

/// Escapes `&`, `<` and `>`, the three characters Slack's formatting is built from.
pub fn escape(text: &str) -> String {
    escape_within(text, usize::MAX)
}

/// Escapes `text` and keeps it within `max` characters (entities stay whole), ending in `…`
/// when something had to be cut.
pub fn escape_within(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    let mut used = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let piece = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            _ => "",
        };
        let width = if piece.is_empty() { 1 } else { piece.len() };
        // Leave room for the ellipsis unless this is the last character.
        let reserve = usize::from(chars.peek().is_some());
        if used + width + reserve > max {
            out.push('…');
            return out;
        }
        if piece.is_empty() {
            out.push(c);
        } else {
            out.push_str(piece);
        }
        used += width;
    }
    out
}

/// The templates use Markdown bold (`**x**`, as Discord does); Slack's is `*x*`.
pub fn bold_to_mrkdwn(text: &str) -> String {
    text.replace("**", "*")
}

/// A mrkdwn link showing `label`. The address can't break out of the `<…|…>` syntax.
pub fn link(url: &str, label: &str) -> String {
    let url = url
        .replace('&', "&amp;")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('|', "%7C");
    format!("<{url}|{}>", escape(label).replace('|', "¦"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_and_links_are_neutralised() {
        let raw = "<!channel> <!here> <!everyone> <!subteam^S123|@mods> <@U1> <https://x.io|y> a&b";
        let out = escape(raw);
        assert!(!out.contains('<') && !out.contains('>'), "{out}");
        assert_eq!(
            out,
            "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S123|@mods&gt; \
             &lt;@U1&gt; &lt;https://x.io|y&gt; a&amp;b"
        );
    }

    #[test]
    fn cutting_keeps_entities_whole_and_respects_the_limit() {
        assert_eq!(escape_within("abc", 3), "abc");
        assert_eq!(escape_within("abcd", 3), "ab…");
        let cut = escape_within("a<<<<", 8);
        assert_eq!(cut, "a&lt;…");
        assert!(cut.chars().count() <= 8);
        for n in 1..30 {
            assert!(escape_within("x & y < z > w", n).chars().count() <= n);
        }
    }

    #[test]
    fn links_cannot_escape_their_brackets() {
        assert_eq!(
            link("https://a.io/?x=1&y=2", "A & B"),
            "<https://a.io/?x=1&amp;y=2|A &amp; B>"
        );
        assert_eq!(
            link("https://a.io/>|<!here>", "t|u"),
            "<https://a.io/%3E%7C%3C!here%3E|t¦u>"
        );
    }
}
