-- Notifications: the in-app inbox (one row per recipient), their deliveries over email and
-- webhooks (one row per notification or batch and channel: what makes delivery idempotent), and
-- the admin-configured webhooks.
CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    recipient_id uuid NOT NULL REFERENCES users (id),
    batch        uuid NOT NULL,
    kind         text NOT NULL,
    title        text NOT NULL,
    body         text NOT NULL DEFAULT '',
    link         text NOT NULL DEFAULT '',
    urgent       boolean NOT NULL DEFAULT false,
    -- dedup_key makes a reminder arrive once even when the job that sends it runs twice.
    dedup_key    text,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
CREATE INDEX notifications_batch ON notifications (batch);
CREATE UNIQUE INDEX notifications_dedup ON notifications (recipient_id, dedup_key) WHERE dedup_key IS NOT NULL;

CREATE TABLE webhooks (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    format     text NOT NULL CHECK (format IN ('dingtalk', 'wecom', 'json')),
    url        text NOT NULL,
    secret     text NOT NULL DEFAULT '',
    kinds      text[] NOT NULL DEFAULT '{}',
    active     boolean NOT NULL DEFAULT true,
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);

CREATE TABLE deliveries (
    notification_id uuid NOT NULL REFERENCES notifications (id),
    channel         text NOT NULL CHECK (channel IN ('email', 'webhook')),
    target          text NOT NULL, -- the email address, or the webhook id
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    PRIMARY KEY (notification_id, channel, target)
);
CREATE INDEX deliveries_pending ON deliveries (status) WHERE status <> 'sent';
