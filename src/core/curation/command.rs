//! Moderator commands as text (`/advice approve quit-well`) and the message references they
//! take. Discord's slash-command options map onto the same `Command`, so both platforms share
//! one set of rules.

use crate::domain::UserError;

/// A question or message, given as a platform link or an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageRef {
    /// `#12`: a question by its Crossroads id (as the review queue shows it).
    Question(i64),
    /// A platform message: its id (Discord snowflake or Slack ts) and, from a link, its channel.
    Message { channel: Option<String>, id: String },
}

impl MessageRef {
    /// Accepts a Discord message link, a Slack message link, `#N`, or a bare message id.
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let s = s.trim().trim_matches(|c| c == '<' || c == '>');
        if let Some(n) = s.strip_prefix('#') {
            return n
                .parse()
                .map(Self::Question)
                .map_err(|_| UserError::new(format!("{s:?} is not a question number")));
        }
        if let Some(rest) = s.strip_prefix("https://") {
            return parse_link(rest).ok_or_else(|| {
                UserError::new(format!("{s:?} is not a Discord or Slack message link"))
            });
        }
        let is_snowflake = !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        let is_ts = s
            .split_once('.')
            .is_some_and(|(a, b)| is_digits(a) && is_digits(b));
        if is_snowflake || is_ts {
            Ok(Self::Message {
                channel: None,
                id: s.to_owned(),
            })
        } else {
            Err(UserError::new(format!(
                "{s:?} is not a message link, a message id or #question-number"
            )))
        }
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_link(rest: &str) -> Option<MessageRef> {
    let (host, path) = rest.split_once('/')?;
    let path = path.split(['?', '#']).next()?;
    let parts: Vec<&str> = path.split('/').collect();
    if host.ends_with("discord.com") || host.ends_with("discordapp.com") {
        // channels/{guild}/{channel}/{message}
        match parts.as_slice() {
            ["channels", _, channel, message] if is_digits(channel) && is_digits(message) => {
                Some(MessageRef::Message {
                    channel: Some((*channel).to_owned()),
                    id: (*message).to_owned(),
                })
            }
            _ => None,
        }
    } else if host.ends_with("slack.com") {
        // archives/{channel}/p{ts without the dot}
        match parts.as_slice() {
            ["archives", channel, p] => {
                let digits = p
                    .strip_prefix('p')
                    .filter(|d| is_digits(d) && d.len() > 6)?;
                let (secs, micros) = digits.split_at(digits.len() - 6);
                Some(MessageRef::Message {
                    channel: Some((*channel).to_owned()),
                    id: format!("{secs}.{micros}"),
                })
            }
            _ => None,
        }
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Add,
    Edit(String),
    Approve(String),
    Retire(String),
    Show(String),
    Search(String),
    Queue,
    Recategorize {
        question: MessageRef,
        category: String,
    },
    Answer {
        question: MessageRef,
        snippet: String,
    },
    Promote(MessageRef),
    /// Post the weekly digest to a channel now (this one when `None`).
    DigestNow(Option<String>),
    /// Anyone: stop (or resume) being named or quoted in the digest.
    OptOut,
    OptIn,
    Help,
}

impl Command {
    /// The name used in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Edit(_) => "edit",
            Self::Approve(_) => "approve",
            Self::Retire(_) => "retire",
            Self::Show(_) => "show",
            Self::Search(_) => "search",
            Self::Queue => "queue",
            Self::Recategorize { .. } => "recategorize",
            Self::Answer { .. } => "answer",
            Self::Promote(_) => "promote",
            Self::DigestNow(_) => "digest-now",
            Self::OptOut => "optout",
            Self::OptIn => "optin",
            Self::Help => "help",
        }
    }

    /// Whether only moderators may run it.
    pub fn needs_moderator(&self) -> bool {
        !matches!(self, Self::OptOut | Self::OptIn | Self::Help)
    }

    /// Parses the text after `/advice`. Unknown or malformed commands are a `UserError` that
    /// says what is expected.
    pub fn parse(text: &str) -> Result<Self, UserError> {
        let text = text.trim();
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let args: Vec<&str> = rest.split_whitespace().collect();
        let one = |usage: &str| match args.as_slice() {
            [a] => Ok((*a).to_owned()),
            _ => Err(UserError::new(format!("usage: /advice {usage}"))),
        };
        let two = |usage: &str| match args.as_slice() {
            [a, b] => Ok(((*a).to_owned(), (*b).to_owned())),
            _ => Err(UserError::new(format!("usage: /advice {usage}"))),
        };
        Ok(match verb.to_lowercase().as_str() {
            "" | "help" => Self::Help,
            "add" => Self::Add,
            "edit" => Self::Edit(one("edit SNIPPET-ID")?),
            "approve" => Self::Approve(one("approve SNIPPET-ID")?),
            "retire" => Self::Retire(one("retire SNIPPET-ID")?),
            "show" => Self::Show(one("show SNIPPET-ID")?),
            "search" if !rest.is_empty() => Self::Search(rest.to_owned()),
            "search" => return Err(UserError::new("usage: /advice search TEXT")),
            "queue" => Self::Queue,
            "recategorize" => {
                let (q, category) = two("recategorize QUESTION CATEGORY")?;
                Self::Recategorize {
                    question: MessageRef::parse(&q)?,
                    category,
                }
            }
            "answer" => {
                let (q, snippet) = two("answer QUESTION SNIPPET-ID")?;
                Self::Answer {
                    question: MessageRef::parse(&q)?,
                    snippet,
                }
            }
            "promote" => Self::Promote(MessageRef::parse(&one("promote MESSAGE")?)?),
            "digest-now" | "digest" => Self::DigestNow(args.first().map(|c| (*c).to_owned())),
            "optout" | "opt-out" => Self::OptOut,
            "optin" | "opt-in" => Self::OptIn,
            other => {
                return Err(UserError::new(format!(
                    "unknown command {other:?}; try /advice help"
                )))
            }
        })
    }
}

pub const HELP: &str = "Moderator commands:
  add · edit ID · approve ID · retire ID · show ID · search TEXT
  queue · recategorize QUESTION CATEGORY · answer QUESTION SNIPPET-ID · promote MESSAGE
  digest-now [CHANNEL]
QUESTION and MESSAGE take a message link, a message id, or #N (a question number).
Anyone: optout / optin (being named or quoted in the weekly digest).";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_ids_parse() {
        assert_eq!(
            MessageRef::parse("https://discord.com/channels/1/22/333").unwrap(),
            MessageRef::Message {
                channel: Some("22".into()),
                id: "333".into()
            }
        );
        assert_eq!(
            MessageRef::parse(
                "<https://acme.slack.com/archives/C0123/p1700000000123456?thread_ts=1>"
            )
            .unwrap(),
            MessageRef::Message {
                channel: Some("C0123".into()),
                id: "1700000000.123456".into()
            }
        );
        assert_eq!(MessageRef::parse("#12").unwrap(), MessageRef::Question(12));
        assert!(MessageRef::parse("1700000000.123456").is_ok());
        for bad in [
            "",
            "#x",
            "https://example.com/a/b",
            "hello",
            "https://discord.com/channels/1/x/3",
        ] {
            assert!(MessageRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn commands_parse_and_bad_ones_say_why() {
        assert_eq!(
            Command::parse("approve quit-well").unwrap(),
            Command::Approve("quit-well".into())
        );
        assert_eq!(Command::parse("  ").unwrap(), Command::Help);
        assert_eq!(
            Command::parse("search notice period").unwrap(),
            Command::Search("notice period".into())
        );
        assert_eq!(
            Command::parse("recategorize #4 quitting").unwrap(),
            Command::Recategorize {
                question: MessageRef::Question(4),
                category: "quitting".into()
            }
        );
        assert!(Command::parse("approve").unwrap_err().0.contains("usage"));
        assert!(Command::parse("frobnicate x")
            .unwrap_err()
            .0
            .contains("unknown command"));
        assert!(Command::parse("answer #1").is_err());
        assert!(!Command::OptOut.needs_moderator());
        assert!(Command::Queue.needs_moderator());
    }
}
