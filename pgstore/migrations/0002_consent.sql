-- pgstore schema, version 2: the consent records of packages liveness and relyingparty,
-- and relyingparty's QR sign-in hand-offs. As in version 1, no column holds personal
-- data in clear: records are sealed (XChaCha20-Poly1305 under Config.Keys, bound to the
-- row's ID or key) and keys are HMACs under Config.IndexKey.

-- liveness.ConsentStore: the consent (subject, purpose, text version, time given) sealed
-- and bound to its random ID; the withdrawal time (Unix nanoseconds) beside it, so that a
-- withdrawal is one statement that keeps the first time.
CREATE TABLE trustid_liveness_consents (
	id           text   PRIMARY KEY,
	sealed       bytea  NOT NULL,
	withdrawn_at bigint
);

-- relyingparty.ConsentStore: the whole record (ISO/IEC TS 27560 fields) sealed and bound
-- to its ID, and its version for the compare-and-write.
CREATE TABLE trustid_relyingparty_consents (
	id      text   PRIMARY KEY,
	version bigint NOT NULL,
	sealed  bytea  NOT NULL
);

-- relyingparty.HandoffStore: the redirect a wallet's answer leaves for the page, sealed
-- and bound to the caller's key, under the HMAC of that key, until it expires.
CREATE TABLE trustid_relyingparty_handoffs (
	key     bytea  PRIMARY KEY,
	expires bigint NOT NULL,
	sealed  bytea  NOT NULL
);
CREATE INDEX trustid_relyingparty_handoffs_expires ON trustid_relyingparty_handoffs (expires);
