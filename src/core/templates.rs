//! Reply wording from `prompts/`: built-in defaults, optionally overridden from a folder.

use crate::domain::{CategoryId, UserError};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Templates {
    pub headline: String,
    pub no_advice: String,
    pub abstain: String,
    pub footer: String,
    pub disclaimers: HashMap<CategoryId, String>,
}

impl Default for Templates {
    fn default() -> Self {
        let mut disclaimers = HashMap::new();
        disclaimers.insert(
            CategoryId::parse("contract_pressure").expect("valid id"),
            include_str!("../../prompts/disclaimer.contract_pressure.txt")
                .trim()
                .to_owned(),
        );
        Self {
            headline: include_str!("../../prompts/headline.txt").trim().to_owned(),
            no_advice: include_str!("../../prompts/no_advice.txt")
                .trim()
                .to_owned(),
            abstain: include_str!("../../prompts/abstain.txt").trim().to_owned(),
            footer: include_str!("../../prompts/footer.txt").trim().to_owned(),
            disclaimers,
        }
    }
}

impl Templates {
    /// The defaults, with any file present in `dir` taking their place.
    pub fn load(dir: Option<&Path>) -> Result<Self, UserError> {
        let mut t = Self::default();
        let Some(dir) = dir else { return Ok(t) };
        let entries = std::fs::read_dir(dir)
            .map_err(|e| UserError::new(format!("prompts_dir {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".txt") else {
                continue;
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| UserError::new(format!("{}: {e}", path.display())))?
                .trim()
                .to_owned();
            let (slot, allowed): (&mut String, &[&str]) = match stem {
                "headline" => (&mut t.headline, &["category"]),
                "no_advice" => (&mut t.no_advice, &["category"]),
                "abstain" => (&mut t.abstain, &[]),
                "footer" => (&mut t.footer, &[]),
                _ => match stem.strip_prefix("disclaimer.") {
                    Some(cat) => {
                        let id = CategoryId::parse(cat)
                            .map_err(|e| UserError::new(format!("{}: {e}", path.display())))?;
                        (t.disclaimers.entry(id).or_default(), &[])
                    }
                    None => {
                        return Err(UserError::new(format!(
                            "{}: unknown prompt file (see prompts/README.md)",
                            path.display()
                        )))
                    }
                },
            };
            check_placeholders(&text, allowed)
                .map_err(|e| UserError::new(format!("{}: {e}", path.display())))?;
            *slot = text;
        }
        Ok(t)
    }
}

/// Fills `{name}` placeholders.
pub fn render(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

fn check_placeholders(text: &str, allowed: &[&str]) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or("unclosed '{'")?;
        let name = &after[..end];
        if !allowed.contains(&name) {
            return Err(format!("unknown placeholder {{{name}}}"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_defaults_and_bad_placeholders_fail() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("footer.txt"), "Vote below.\n").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(t.footer, "Vote below.");
        assert_eq!(t.abstain, Templates::default().abstain);

        std::fs::write(dir.path().join("headline.txt"), "About {topic}").unwrap();
        let err = Templates::load(Some(dir.path())).unwrap_err();
        assert!(err.0.contains("unknown placeholder {topic}"), "{err}");
    }

    #[test]
    fn render_fills_placeholders() {
        assert_eq!(
            render("About {category}.", &[("category", "quitting")]),
            "About quitting."
        );
    }
}
