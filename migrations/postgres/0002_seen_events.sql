-- Platform event ids already handled, for events that carry no durable key of their own (a DM
-- is reposted under a new message id, so a retried DM event is recognised by its event id).
-- Only the opaque event id is kept: nothing here names a user or a DM channel.
CREATE TABLE seen_events (
    platform TEXT NOT NULL,
    event_id TEXT NOT NULL,
    seen_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, event_id)
);
CREATE INDEX seen_events_at ON seen_events (seen_at);
