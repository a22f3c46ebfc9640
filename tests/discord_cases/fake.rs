//! The fake itself is strict: it rejects what Discord rejects. If it didn't, the tests above
//! would prove little.

use crate::support::discord::{FakeDiscord, TOKEN};
use serde_json::{json, Value};

async fn post(fake: &FakeDiscord, path: &str, body: Value, auth: bool) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/v10{path}", fake.api_base()))
        .header("content-type", "application/json")
        .body(body.to_string());
    if auth {
        request = request.header("authorization", format!("Bot {TOKEN}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_fake_rejects_what_discord_rejects() {
    let fake = FakeDiscord::start().await;
    let c = fake.text_channel("c");
    let at = format!("/channels/{c}/messages");
    let code = |r: &(u16, Value)| (r.0, r.1["code"].as_i64().unwrap_or(-1));

    assert_eq!(
        code(&post(&fake, &at, json!({"content": "hi"}), false).await),
        (401, 0)
    );
    assert_eq!(
        code(
            &post(
                &fake,
                "/channels/1/messages",
                json!({"content": "hi"}),
                true
            )
            .await
        ),
        (404, 10003)
    );
    assert_eq!(
        code(&post(&fake, &at, json!({"content": "x".repeat(2001)}), true).await),
        (400, 50035)
    );
    assert_eq!(
        code(&post(&fake, &at, json!({"content": ""}), true).await),
        (400, 50006)
    );
    let big =
        json!({"embeds": [{"description": "x".repeat(4000)}, {"description": "y".repeat(2001)}]});
    assert_eq!(
        code(&post(&fake, &at, big, true).await),
        (400, 50035),
        "6,000 embed characters at most"
    );
    let title = json!({"embeds": [{"title": "t".repeat(257)}]});
    assert_eq!(code(&post(&fake, &at, title, true).await), (400, 50035));
    let nonce = json!({"content": "hi", "nonce": "n".repeat(26)});
    assert_eq!(code(&post(&fake, &at, nonce, true).await), (400, 50035));
    let twice = json!({"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}});
    assert_eq!(code(&post(&fake, &at, twice, true).await), (400, 50035));
    let dup = json!({"components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "a", "custom_id": "x"}, {"type": 2, "style": 1, "label": "b", "custom_id": "x"}]}]});
    assert_eq!(code(&post(&fake, &at, dup, true).await), (400, 50035));
    let dangling = json!({"content": "hi", "message_reference": {"message_id": "5", "channel_id": c.to_string()}});
    assert_eq!(code(&post(&fake, &at, dangling, true).await), (400, 50035));

    // Nonces are deduplicated when enforced.
    let once = json!({"content": "hi", "nonce": "abc", "enforce_nonce": true});
    let (s1, m1) = post(&fake, &at, once.clone(), true).await;
    let (s2, m2) = post(&fake, &at, once, true).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(m1["id"], m2["id"]);
    assert_eq!(fake.bot_messages_in(c).len(), 1);

    // Threads: a real message, a valid name, only once.
    let alice = fake.person("Alice");
    let m = fake.post(&alice, c, "a question");
    let threads = format!("/channels/{c}/messages/{m}/threads");
    assert_eq!(
        code(
            &post(
                &fake,
                &format!("/channels/{c}/messages/9/threads"),
                json!({"name": "t"}),
                true
            )
            .await
        ),
        (404, 10008)
    );
    assert_eq!(
        code(&post(&fake, &threads, json!({"name": "n".repeat(101)}), true).await),
        (400, 50035)
    );
    assert_eq!(
        code(
            &post(
                &fake,
                &threads,
                json!({"name": "t", "auto_archive_duration": 5}),
                true
            )
            .await
        ),
        (400, 50035)
    );
    assert_eq!(
        post(&fake, &threads, json!({"name": "t"}), true).await.0,
        201
    );
    assert_eq!(
        code(&post(&fake, &threads, json!({"name": "t"}), true).await),
        (400, 160004)
    );
    assert_eq!(
        code(
            &post(
                &fake,
                &format!("/channels/{m}/messages/{m}/threads"),
                json!({"name": "t"}),
                true
            )
            .await
        ),
        (400, 50024)
    );
}

/// Payload shapes, checked against serenity: a dispatch it cannot parse is silently dropped.
mod payload_shapes {
    use crate::support::discord::payloads::*;
    use crate::support::discord::state::{
        Channel, User, DM, GUILD_FORUM, GUILD_TEXT, PUBLIC_THREAD,
    };
    use serde_json::{json, Value};
    use serenity::all::{Channel as SChannel, Event, GatewayEvent, Interaction, Message};

    fn alice() -> User {
        User {
            id: 11,
            name: "alice".into(),
            display: "Alice".into(),
            bot: false,
        }
    }

    fn text_channel() -> Channel {
        Channel {
            id: 5,
            kind: GUILD_TEXT,
            guild_id: Some(3),
            parent_id: None,
            name: "careers".into(),
            threads_denied: false,
            recipient: None,
        }
    }

    /// Parses a dispatch the way serenity's gateway does, failing on an `Unknown` event.
    fn dispatch(t: &str, d: Value) -> Event {
        let frame = json!({"op": 0, "s": 1, "t": t, "d": d});
        match serde_json::from_value::<GatewayEvent>(frame).expect("gateway frame") {
            GatewayEvent::Dispatch(_, Event::Unknown(u)) => {
                panic!("serenity dropped {t}: {:?}", u.value)
            }
            GatewayEvent::Dispatch(_, e) => e,
            other => panic!("not a dispatch: {other:?}"),
        }
    }

    #[test]
    fn dispatches_are_complete_for_serenity() {
        let a = alice();
        let f = MessageFields {
            id: 9,
            channel_id: 5,
            guild_id: Some(3),
            author: &a,
            content: "hi <@11>",
            kind: 0,
            mentions: vec![&a],
            mention_roles: vec![7],
        };
        assert!(matches!(
            dispatch("MESSAGE_CREATE", message(&f)),
            Event::MessageCreate(_)
        ));
        let dm = MessageFields {
            guild_id: None,
            mentions: vec![],
            mention_roles: vec![],
            ..f
        };
        assert!(matches!(
            dispatch("MESSAGE_CREATE", message(&dm)),
            Event::MessageCreate(_)
        ));
        assert!(matches!(
            dispatch("READY", ready(&a, 1, 3, "s", "ws://x")),
            Event::Ready(_)
        ));
        assert!(matches!(dispatch("RESUMED", json!({})), Event::Resumed(_)));
        let c = text_channel();
        let click = button_click(&Click {
            id: 1,
            app_id: 2,
            token: "t",
            guild: 3,
            channel: &c,
            who: &a,
            message: message(&f),
            custom_id: "fb:1:helpful",
        });
        match dispatch("INTERACTION_CREATE", click) {
            Event::InteractionCreate(e) => match e.interaction {
                Interaction::Component(c) => assert_eq!(c.user.id.get(), 11),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        let slash = slash_command(&Slash {
            id: 1,
            app_id: 2,
            token: "t",
            guild: 3,
            channel: &c,
            who: &a,
            command_id: 4,
            options: json!([{"name": "question", "type": 3, "value": "q"}]),
        });
        assert!(matches!(
            dispatch("INTERACTION_CREATE", slash),
            Event::InteractionCreate(_)
        ));
    }

    #[test]
    fn rest_answers_decode_into_serenity_models() {
        let a = alice();
        let f = MessageFields {
            id: 9,
            channel_id: 5,
            guild_id: None,
            author: &a,
            content: "",
            kind: 0,
            mentions: vec![],
            mention_roles: vec![],
        };
        serde_json::from_value::<Message>(message(&f)).unwrap();
        serde_json::from_value::<serenity::all::CurrentUser>(current_user(&a)).unwrap();
        let mut c = text_channel();
        for kind in [GUILD_TEXT, PUBLIC_THREAD, GUILD_FORUM, DM] {
            c.kind = kind;
            c.recipient = Some(11);
            serde_json::from_value::<SChannel>(channel(&c))
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }
}
