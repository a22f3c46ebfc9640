//! The command line. Each command parses its input, calls `core`, and prints. Errors the user
//! can fix are `UserError`s (exit code 2); anything else is internal (exit code 1).

mod ask;
mod audit;
mod digest;
mod eval;
mod jsonl;
mod knowledge;
mod serve;

use crate::config::Settings;
use crate::core::{Engine, Templates};
use crate::domain::UserError;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "crossroads",
    version,
    about = "Career-question bot for Discord and Slack"
)]
pub struct Cli {
    /// Settings file (default: ./crossroads.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH (default sqlite://crossroads.db) or postgres://...
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: HTTP health endpoint (platform adapters come with their configuration).
    Serve,
    /// Answer one question and print the reply as it would be posted.
    Ask {
        /// The question; '-' reads it from stdin.
        text: String,
        /// Print {"primary", "scores", "snippets", "text"} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Classify JSON lines {"id", "text"} from FILE ('-' for stdin), one result line each.
    Classify {
        #[arg(long, value_name = "FILE")]
        jsonl: PathBuf,
        /// Also print each class's probability ("scores").
        #[arg(long)]
        scores: bool,
    },
    /// Measure the classifier on labeled JSON lines {"text", "labels", "primary"}.
    Eval { file: PathBuf },
    /// Add labeled JSON lines {"text", "labels", "primary"[, "id"]} as training examples.
    Train { file: PathBuf },
    /// Print the audit log (moderator actions, allowed and refused) since a date.
    Audit {
        /// YYYY-MM-DD (UTC) or an RFC 3339 time.
        #[arg(long)]
        since: String,
    },
    /// Import or export the knowledge files.
    #[command(subcommand)]
    Knowledge(KnowledgeCommand),
    /// Preview or post the weekly digest of a channel in [[digest.channels]].
    #[command(subcommand)]
    Digest(DigestCommand),
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Print the digest as text (default: the past complete week).
    Preview {
        #[arg(long)]
        channel: String,
        /// ISO week, e.g. 2026-W47.
        #[arg(long)]
        week: Option<String>,
        /// discord or slack, when the channel id is configured on both.
        #[arg(long)]
        platform: Option<String>,
        /// Also write the chart to this PNG file.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
    },
    /// Post the past complete week's digest now; a week already posted needs --force.
    PostNow {
        #[arg(long)]
        channel: String,
        #[arg(long)]
        platform: Option<String>,
        /// Post again even if this week's digest was posted.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KnowledgeCommand {
    /// Read DIR and apply it in one transaction (all or nothing).
    Import { dir: PathBuf },
    /// Write the database's knowledge to DIR.
    Export { dir: PathBuf },
}

impl Command {
    /// Long-running commands log at info level; one-shot commands stay quiet.
    pub fn default_log_level(&self) -> &'static str {
        match self {
            Command::Serve => "info",
            _ => "warn",
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        settings.database_url = url;
    }
    match cli.command {
        Command::Serve => serve::run(&settings).await,
        Command::Ask { text, json } => ask::run(&settings, &text, json).await,
        Command::Classify { jsonl, scores } => ask::classify(&settings, &jsonl, scores).await,
        Command::Eval { file } => eval::run(&settings, &file).await,
        Command::Train { file } => knowledge::train(&settings, &file).await,
        Command::Audit { since } => audit::run(&settings, &since).await,
        Command::Knowledge(KnowledgeCommand::Import { dir }) => {
            knowledge::import(&settings, &dir).await
        }
        Command::Knowledge(KnowledgeCommand::Export { dir }) => {
            knowledge::export(&settings, &dir).await
        }
        Command::Digest(DigestCommand::Preview {
            channel,
            week,
            platform,
            chart,
        }) => {
            let platform = platform.as_deref();
            let (week, chart) = (week.as_deref(), chart.as_deref());
            digest::preview(&settings, platform, &channel, week, chart).await
        }
        Command::Digest(DigestCommand::PostNow {
            channel,
            platform,
            force,
        }) => digest::post_now(&settings, platform.as_deref(), &channel, force).await,
    }
}

/// Opens the store (seeding it if fresh) and trains the classifier.
async fn open_engine(settings: &Settings) -> anyhow::Result<Engine> {
    let templates = Templates::load(settings.prompts_dir.as_deref())?;
    let store = crate::store::connect(&settings.database_url).await?;
    Ok(Engine::open(store, settings.classifier.clone(), templates).await?)
}

/// Writes `text` to stdout. A closed pipe (`crossroads eval | head`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Exit code for an error: 2 for the user's mistakes, 1 for ours.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<UserError>().is_some() {
        2
    } else {
        1
    }
}
