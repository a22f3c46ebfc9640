//! Reading JSON lines strictly: invalid UTF-8, non-JSON and wrong shapes are user errors that
//! name the line.

use crate::domain::{CategoryId, Example, UserError};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::io::BufRead;
use std::path::Path;

/// Opens FILE, or stdin for `-`.
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, UserError> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| UserError::new(format!("{}: {e}", path.display())))?;
    Ok(Box::new(std::io::BufReader::new(file)))
}

/// Calls `f` with each non-blank line parsed as `T`, and its 1-based line number.
pub fn for_each<T: DeserializeOwned>(
    mut input: impl BufRead,
    mut f: impl FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| UserError::new(format!("reading input: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        n += 1;
        let line = std::str::from_utf8(&buf)
            .map_err(|_| UserError::new(format!("line {n}: not valid UTF-8")))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: T =
            serde_json::from_str(line).map_err(|e| UserError::new(format!("line {n}: {e}")))?;
        f(n, value)?;
    }
}

/// A labeled line as `eval` and `train` read it.
#[derive(Debug, Deserialize)]
pub struct Labeled {
    pub id: Option<serde_json::Value>,
    pub text: String,
    pub labels: Vec<CategoryId>,
    pub primary: CategoryId,
}

impl Labeled {
    /// Validates the line against the known categories and turns it into an example. Lines
    /// without an id get a stable one derived from the text.
    pub fn into_example(self, n: usize, known: &[CategoryId]) -> Result<Example, UserError> {
        let at = |e: UserError| UserError::new(format!("line {n}: {e}"));
        let unknown = self
            .labels
            .iter()
            .chain(std::iter::once(&self.primary))
            .find(|c| !c.is_other() && !known.contains(c));
        if let Some(c) = unknown {
            return Err(at(UserError::new(format!(
                "unknown category {:?}",
                c.as_str()
            ))));
        }
        let id = match self.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => format!("train-{:016x}", fnv1a(self.text.trim().as_bytes())),
        };
        let e = Example {
            id,
            text: self.text.trim().to_owned(),
            labels: self.labels,
            primary: self.primary,
        };
        e.validate().map_err(at)?;
        Ok(e)
    }
}

/// FNV-1a: a stable, dependency-free hash for deriving example ids.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
