//! The fake's websocket gateway: HELLO, IDENTIFY -> READY, heartbeats, dispatches with
//! sequence numbers, and RESUME, which replays what the session missed (or, when a test asks,
//! more: Discord delivers at least once).

use super::state::{Session, State};
use super::{payloads, Shared};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as Frame;

pub const MESSAGE_CONTENT_INTENT: u64 = 1 << 15;

pub async fn serve(listener: TcpListener, fake: Shared) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream, fake.clone()));
    }
}

fn send(tx: &UnboundedSender<Frame>, v: &Value) {
    let _ = tx.send(Frame::text(v.to_string()));
}

fn close(tx: &UnboundedSender<Frame>, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    };
    let _ = tx.send(Frame::Close(Some(frame)));
}

async fn connection(stream: TcpStream, fake: Shared) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut incoming) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Frame>();
    tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            let last = matches!(frame, Frame::Close(_));
            if sink.send(frame).await.is_err() || last {
                break;
            }
        }
    });
    send(
        &tx,
        &json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null}),
    );
    while let Some(Ok(frame)) = incoming.next().await {
        let text = match frame {
            Frame::Text(t) => t.to_string(),
            Frame::Close(_) => break,
            _ => continue,
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            close(&tx, 4002, "Decode error");
            break;
        };
        match v["op"].as_u64() {
            Some(1) => send(&tx, &json!({"op": 11, "d": null, "s": null, "t": null})),
            Some(2) => identify(&fake, &tx, &v["d"]),
            Some(6) => resume(&fake, &tx, &v["d"]),
            Some(3 | 4 | 8) => {}
            _ => {
                close(&tx, 4001, "Unknown opcode");
                break;
            }
        }
    }
}

fn token_ok(fake: &Shared, token: &Value) -> bool {
    let t = token.as_str().unwrap_or("");
    t.strip_prefix("Bot ").unwrap_or(t) == fake.token
}

fn identify(fake: &Shared, tx: &UnboundedSender<Frame>, d: &Value) {
    if !token_ok(fake, &d["token"]) {
        close(tx, 4004, "Authentication failed.");
        return;
    }
    let mut state = fake.state.lock().unwrap();
    let id = format!("session-{}", state.id());
    let ready = payloads::ready(&fake.bot, fake.app_id, fake.guild, &id, &fake.ws_url);
    state.sessions.push(Session {
        id,
        tx: Some(tx.clone()),
        seq: 0,
        log: Vec::new(),
        intents: d["intents"].as_u64().unwrap_or(0),
        replay_from: None,
        resumes: 0,
    });
    let at = state.sessions.len() - 1;
    push(&mut state, at, "READY", ready);
    drop(state);
    fake.changed.send_modify(|n| *n += 1);
}

fn resume(fake: &Shared, tx: &UnboundedSender<Frame>, d: &Value) {
    if !token_ok(fake, &d["token"]) {
        close(tx, 4004, "Authentication failed.");
        return;
    }
    let mut state = fake.state.lock().unwrap();
    let found = state
        .sessions
        .iter()
        .position(|s| Some(s.id.as_str()) == d["session_id"].as_str());
    let Some(at) = found else {
        send(tx, &json!({"op": 9, "d": false, "s": null, "t": null}));
        return;
    };
    let session = &mut state.sessions[at];
    let seen = d["seq"].as_u64().unwrap_or(0);
    let from = session.replay_from.take().map_or(seen, |r| r.min(seen));
    session.tx = Some(tx.clone());
    session.resumes += 1;
    for (_, frame) in session.log.iter().filter(|(s, _)| *s > from) {
        send(tx, frame);
    }
    push(&mut state, at, "RESUMED", json!({}));
    drop(state);
    fake.changed.send_modify(|n| *n += 1);
}

/// Sends a dispatch on one session (logged for RESUME even if it is disconnected).
pub fn push(state: &mut State, at: usize, t: &str, d: Value) {
    let session = &mut state.sessions[at];
    session.seq += 1;
    let frame = json!({"op": 0, "s": session.seq, "t": t, "d": d});
    if let Some(tx) = &session.tx {
        send(tx, &frame);
    }
    session.log.push((session.seq, frame));
}

/// Sends a dispatch on every session. Without the Message Content intent, guild messages that
/// don't mention the bot arrive with empty content, as on Discord.
pub fn broadcast(state: &mut State, bot_id: u64, t: &str, d: &Value) {
    for at in 0..state.sessions.len() {
        let mut d = d.clone();
        let privileged = state.sessions[at].intents & MESSAGE_CONTENT_INTENT != 0;
        let mentions_bot = d["mentions"].as_array().is_some_and(|m| {
            m.iter()
                .any(|u| u["id"].as_str() == Some(bot_id.to_string().as_str()))
        });
        if t == "MESSAGE_CREATE" && !privileged && !d["guild_id"].is_null() && !mentions_bot {
            d["content"] = json!("");
        }
        push(state, at, t, d);
    }
}

/// Asks every session to reconnect (op 7); on RESUME it gets everything after `replay_from`.
pub fn reconnect(state: &mut State, replay_from: u64) {
    for s in &mut state.sessions {
        s.replay_from = Some(replay_from);
        if let Some(tx) = s.tx.take() {
            send(&tx, &json!({"op": 7, "d": null, "s": null, "t": null}));
        }
    }
}
