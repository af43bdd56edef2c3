-- The ticket core (issue 10/11): urgency asked for from outside the government is a request
-- the bureau confirms at accept.

-- urgency_requested: an enterprise (or an integration for it) asked for urgency; priority
-- stays normal until the dispatcher accepts with urgent.
ALTER TABLE tickets ADD COLUMN urgency_requested boolean NOT NULL DEFAULT false;
