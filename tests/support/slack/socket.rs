//! Socket Mode: the websocket `apps.connections.open` points at. Each connection must carry a
//! ticket the fake handed out; it gets `hello`, then whatever envelopes a test sends, and every
//! frame it sends back (acknowledgements) is recorded.

use super::FakeSlack;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::Message;

pub async fn serve(fake: FakeSlack, listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(fake.clone(), stream));
    }
}

// tungstenite's handshake callback type returns its (large) ErrorResponse by value.
#[allow(clippy::result_large_err)]
async fn connection(fake: FakeSlack, stream: tokio::net::TcpStream) {
    let tickets = fake.clone();
    let check_ticket = move |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let ticket = req
            .uri()
            .query()
            .and_then(|q| q.strip_prefix("ticket="))
            .unwrap_or("");
        if tickets.with(|s| s.tickets.remove(ticket)) {
            Ok(resp)
        } else {
            let mut refused = ErrorResponse::new(Some("invalid ticket".into()));
            *refused.status_mut() = tokio_tungstenite::tungstenite::http::StatusCode::UNAUTHORIZED;
            Err(refused)
        }
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, check_ticket).await else {
        return;
    };
    let (mut write, mut read) = ws.split();
    let hello = json!({"type": "hello", "num_connections": 1,
        "debug_info": {"host": "fake-slack"}, "connection_info": {"app_id": "AFAKE"}});
    if write.send(Message::text(hello.to_string())).await.is_err() {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    fake.with(|s| s.sockets.push(tx.clone()));
    tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if write.send(Message::text(frame)).await.is_err() {
                break;
            }
        }
    });
    while let Some(Ok(msg)) = read.next().await {
        if let Message::Text(text) = msg {
            let frame: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            fake.with(|s| s.acks.push(frame));
        }
    }
    fake.with(|s| s.sockets.retain(|other| !other.same_channel(&tx)));
}

impl FakeSlack {
    /// Waits until the bot has a Socket Mode connection open.
    pub async fn socket_connected(&self) {
        self.wait_for("a Socket Mode connection", |s| {
            (!s.sockets.is_empty()).then_some(())
        })
        .await;
    }

    /// Sends an envelope `{"type": kind, "payload": payload}` to the bot over a live
    /// connection; returns its envelope id.
    pub fn send_envelope(&self, kind: &str, payload: Value) -> String {
        self.with(|s| {
            let id = format!("envelope-{}", s.next_id());
            let frame = json!({"envelope_id": id, "type": kind, "payload": payload,
                "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                "retry_reason": ""})
            .to_string();
            s.sockets.retain(|tx| !tx.is_closed());
            let tx = s.sockets.first().expect("no Socket Mode connection");
            tx.send(frame).expect("socket closed");
            id
        })
    }

    /// Waits for the bot's acknowledgement of `envelope_id`; returns the whole ack frame.
    pub async fn ack(&self, envelope_id: &str) -> Value {
        self.wait_for(&format!("the ack of {envelope_id}"), |s| {
            s.acks
                .iter()
                .find(|a| a["envelope_id"] == envelope_id)
                .cloned()
        })
        .await
    }
}
