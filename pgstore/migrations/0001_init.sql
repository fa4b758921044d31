-- pgstore schema, version 1. Every key column holds an HMAC or an opaque reference the
-- core hands over; no column holds a name, ID number, address or other personal data in
-- clear. Times are Unix nanoseconds (bigint), as the caller passes them.

-- store.ReplayGuard: one row per claimed key until it expires.
CREATE TABLE trustid_replay (
	key     bytea  PRIMARY KEY,
	expires bigint NOT NULL
);
CREATE INDEX trustid_replay_expires ON trustid_replay (expires);

-- store.AttemptStore: one row per counted key.
CREATE TABLE trustid_attempts (
	key          bytea   PRIMARY KEY,
	count        integer NOT NULL,
	window_end   bigint  NOT NULL,
	locked_until bigint  NOT NULL DEFAULT 0
);
CREATE INDEX trustid_attempts_end ON trustid_attempts (greatest(window_end, locked_until));

-- quiz.AskedStore: a row per key, locked by every claim, and a row per held ID.
CREATE TABLE trustid_asked_keys (
	key     bytea  PRIMARY KEY,
	expires bigint NOT NULL
);
CREATE TABLE trustid_asked (
	key     bytea  NOT NULL REFERENCES trustid_asked_keys (key) ON DELETE CASCADE,
	id      text   NOT NULL,
	expires bigint NOT NULL,
	PRIMARY KEY (key, id)
);

-- wallet.Store: the record (Data is what wallet.SealedStore sealed) and its index.
CREATE TABLE trustid_wallets (
	holder  text     PRIMARY KEY,
	version bigint   NOT NULL,
	index   text[]   NOT NULL,
	data    bytea    NOT NULL
);
CREATE TABLE trustid_wallet_index (
	key    text PRIMARY KEY,
	holder text NOT NULL
);
CREATE INDEX trustid_wallet_index_holder ON trustid_wallet_index (holder);

-- review.Store: the case JSON sealed (XChaCha20-Poly1305), and the columns its queries
-- select on: HMACs of the applicant reference and the reviewer ID, the state and the
-- wake-up time.
CREATE TABLE trustid_review_cases (
	id        text     PRIMARY KEY,
	version   bigint   NOT NULL,
	applicant bytea    NOT NULL,
	reviewer  bytea,
	state     smallint NOT NULL,
	wake_at   bigint,
	sealed    bytea    NOT NULL
);
CREATE INDEX trustid_review_cases_applicant ON trustid_review_cases (applicant);
CREATE INDEX trustid_review_cases_load ON trustid_review_cases (reviewer, state) WHERE reviewer IS NOT NULL;
CREATE INDEX trustid_review_cases_wake ON trustid_review_cases (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX trustid_review_cases_state ON trustid_review_cases (state);

-- One row per reviewer, locked (SELECT ... FOR UPDATE through an upsert) by every
-- assignment to that reviewer, so that the load count and the write are one atomic step.
CREATE TABLE trustid_review_reviewers (
	reviewer bytea PRIMARY KEY
);

-- trustid_attempt_take is store.MemoryAttemptStore.Take, step for step, in one call: the
-- upsert locks the key's row, so concurrent takes of one key run one after another.
-- p_lock is now+Cooloff, or NULL when the rule has no cool-off. retry_at is NULL when
-- there is no RetryAt.
CREATE FUNCTION trustid_attempt_take(p_key bytea, p_now bigint, p_limit integer, p_wend bigint, p_lock bigint)
RETURNS TABLE (allowed boolean, remaining integer, retry_at bigint)
LANGUAGE plpgsql AS $$
DECLARE
	c  integer;
	we bigint;
	lu bigint;
	r  bigint;
BEGIN
	INSERT INTO trustid_attempts AS a (key, count, window_end, locked_until)
	VALUES (p_key, 0, p_wend, 0)
	ON CONFLICT (key) DO UPDATE SET key = a.key
	RETURNING a.count, a.window_end, a.locked_until INTO c, we, lu;
	IF p_now < lu THEN
		RETURN QUERY SELECT false, 0, lu;
		RETURN;
	END IF;
	IF p_now >= we THEN
		c := 0; we := p_wend; lu := 0;
	END IF;
	IF c >= p_limit THEN
		UPDATE trustid_attempts SET count = c, window_end = we, locked_until = lu WHERE key = p_key;
		RETURN QUERY SELECT false, 0, we;
		RETURN;
	END IF;
	c := c + 1;
	r := NULL;
	IF c >= p_limit AND p_lock IS NOT NULL THEN
		lu := greatest(p_lock, we);
		r := lu;
	END IF;
	UPDATE trustid_attempts SET count = c, window_end = we, locked_until = lu WHERE key = p_key;
	RETURN QUERY SELECT true, p_limit - c, r;
END
$$;

-- trustid_asked_claim is quiz.AskedStore.Claim in one call: the upsert locks the key's
-- row, then no ID may be held at p_now, then expired IDs go and the new ones are written.
CREATE FUNCTION trustid_asked_claim(p_key bytea, p_ids text[], p_now bigint, p_exp bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO trustid_asked_keys AS k (key, expires) VALUES (p_key, p_exp)
	ON CONFLICT (key) DO UPDATE SET expires = greatest(k.expires, excluded.expires);
	IF EXISTS (SELECT 1 FROM trustid_asked WHERE key = p_key AND id = ANY (p_ids) AND expires > p_now) THEN
		RETURN false;
	END IF;
	IF p_now >= p_exp OR cardinality(p_ids) = 0 THEN
		RETURN true;
	END IF;
	DELETE FROM trustid_asked WHERE key = p_key AND expires <= p_now;
	INSERT INTO trustid_asked (key, id, expires)
	SELECT DISTINCT p_key, i, p_exp FROM unnest(p_ids) AS i
	ON CONFLICT (key, id) DO UPDATE SET expires = excluded.expires;
	RETURN true;
END
$$;
