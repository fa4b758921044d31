package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
)

// maxConsentField bounds an ID, subject, purpose or text version, in bytes, as package
// liveness bounds them; a longer ID is unknown to Lookup and refused by the writes.
const maxConsentField = 255

// invalid is a refused argument: it matches the interface's own sentinel and
// store.ErrInvalidArgument. what names the call, never a value.
func invalid(what string, sentinel error) error {
	return fmt.Errorf("pgstore: %s: %w (%w)", what, sentinel, store.ErrInvalidArgument)
}

// LivenessConsentStore is a liveness.ConsentStore kept in PostgreSQL: the biometric
// consents a Challenger checks before a real-person check, shared by every server and
// kept across restarts. Make one with [Store.LivenessConsentStore]. It is safe for
// concurrent use; a nil or zero LivenessConsentStore refuses every call with
// store.ErrInvalidArgument.
//
// A consent is stored under its random ID as the JSON of its subject, purpose, text
// version and time given, sealed with XChaCha20-Poly1305 under [Config.Keys] and bound to
// the ID (a row copied under another ID does not open: [ErrNotAuthentic]); the withdrawal
// time sits beside it in clear, so that Withdraw is one statement that keeps the first
// time.
// The subject never reaches the table in clear.
type LivenessConsentStore struct {
	s    *Store
	seal *sealer
}

var _ liveness.ConsentStore = (*LivenessConsentStore)(nil)

// LivenessConsentStore returns the liveness.ConsentStore of s. It needs [Config.Keys]:
// without them it returns an error matching store.ErrInvalidArgument.
func (s *Store) LivenessConsentStore() (*LivenessConsentStore, error) {
	sl, err := s.sealer(domainLivenessConsent)
	if err != nil {
		return nil, err
	}
	return &LivenessConsentStore{s: s, seal: sl}, nil
}

// check refuses a nil or zero store (not made by the Store's method).
func (l *LivenessConsentStore) check() error {
	if l == nil || l.seal == nil {
		return (*Store)(nil).check()
	}
	return l.s.check()
}

// sealer returns a sealer of domain under s's keys.
func (s *Store) sealer(domain string) (*sealer, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return newSealer(s.keys, domain)
}

// livenessConsent is the sealed JSON of a liveness consent (its ID is the row's, its
// withdrawal time the column's).
type livenessConsent struct {
	Subject     string    `json:"subject"`
	Purpose     string    `json:"purpose"`
	TextVersion string    `json:"text_version"`
	GivenAt     time.Time `json:"given_at"`
}

// encodeLivenessConsent returns the JSON that is sealed for c.
func encodeLivenessConsent(c liveness.Consent) ([]byte, error) {
	return json.Marshal(livenessConsent{Subject: c.Subject, Purpose: c.Purpose, TextVersion: c.TextVersion, GivenAt: c.GivenAt.UTC()})
}

// decodeLivenessConsent decodes the opened JSON of the consent id; the withdrawal time
// is the caller's to set.
func decodeLivenessConsent(id string, b []byte) (liveness.Consent, error) {
	var rec livenessConsent
	if err := json.Unmarshal(b, &rec); err != nil {
		return liveness.Consent{}, fmt.Errorf("%w: liveness consent", ErrCorrupt)
	}
	return liveness.Consent{ID: id, Subject: rec.Subject, Purpose: rec.Purpose, TextVersion: rec.TextVersion, GivenAt: rec.GivenAt}, nil
}

// Record implements liveness.ConsentStore: one insert under a new rand.Text ID. A consent
// without a subject, purpose, text version or time, with a field over 255 bytes, or
// already withdrawn is refused with an error matching liveness.ErrInvalidArgument (and
// store.ErrInvalidArgument); other errors wrap [ErrUnavailable] and store nothing.
func (l *LivenessConsentStore) Record(ctx context.Context, c liveness.Consent) (string, error) {
	if err := l.check(); err != nil {
		return "", err
	}
	if c.Subject == "" || c.Purpose == "" || c.TextVersion == "" || c.GivenAt.IsZero() || !c.WithdrawnAt.IsZero() ||
		len(c.Subject) > maxConsentField || len(c.Purpose) > maxConsentField || len(c.TextVersion) > maxConsentField {
		return "", invalid("liveness consent record", liveness.ErrInvalidArgument)
	}
	b, err := encodeLivenessConsent(c)
	if err != nil {
		return "", invalid("liveness consent record", liveness.ErrInvalidArgument)
	}
	id := rand.Text()
	if _, err := l.s.pool.Exec(ctx, `INSERT INTO trustid_liveness_consents (id, sealed) VALUES ($1, $2)`, id, l.seal.seal(id, b)); err != nil {
		return "", wrap("liveness consent record", err)
	}
	return id, nil
}

// Lookup implements liveness.ConsentStore. An unknown ID is found=false with no error; a
// row that does not open is an error matching [ErrNotAuthentic], one that opens but
// does not decode [ErrCorrupt]; other errors wrap
// [ErrUnavailable]. Either error comes with found=false.
func (l *LivenessConsentStore) Lookup(ctx context.Context, id string) (liveness.Consent, bool, error) {
	if err := l.check(); err != nil {
		return liveness.Consent{}, false, err
	}
	if id == "" || len(id) > maxConsentField {
		return liveness.Consent{}, false, nil
	}
	var sealed []byte
	var withdrawn *int64
	err := l.s.pool.QueryRow(ctx, `SELECT sealed, withdrawn_at FROM trustid_liveness_consents WHERE id = $1`, id).Scan(&sealed, &withdrawn)
	if errors.Is(err, pgx.ErrNoRows) {
		return liveness.Consent{}, false, nil
	}
	if err != nil {
		return liveness.Consent{}, false, wrap("liveness consent lookup", err)
	}
	b, err := l.seal.open(id, sealed)
	if err != nil {
		return liveness.Consent{}, false, err
	}
	c, err := decodeLivenessConsent(id, b)
	if err != nil {
		return liveness.Consent{}, false, err
	}
	if withdrawn != nil {
		c.WithdrawnAt = time.Unix(0, *withdrawn).UTC()
	}
	return c, true, nil
}

// Withdraw implements liveness.ConsentStore with one statement that sets the withdrawal
// time only where none is set, so the first withdrawal stays, whichever server and in
// whatever order. An unknown ID, a zero time or one outside the years 1678-2261 is
// refused with an error matching liveness.ErrInvalidArgument; other errors wrap
// [ErrUnavailable] and change nothing.
func (l *LivenessConsentStore) Withdraw(ctx context.Context, id string, at time.Time) error {
	if err := l.check(); err != nil {
		return err
	}
	if id == "" || len(id) > maxConsentField || at.IsZero() || at.Before(minTime) || at.After(maxTime) {
		return invalid("liveness consent withdraw", liveness.ErrInvalidArgument)
	}
	tag, err := l.s.pool.Exec(ctx, `UPDATE trustid_liveness_consents SET withdrawn_at = coalesce(withdrawn_at, $2) WHERE id = $1`,
		id, at.UnixNano())
	if err != nil {
		return wrap("liveness consent withdraw", err)
	}
	if tag.RowsAffected() == 0 {
		return invalid("liveness consent withdraw", liveness.ErrInvalidArgument)
	}
	return nil
}

// RelyingPartyConsentStore is a relyingparty.ConsentStore kept in PostgreSQL: the records
// of the consents people give to release claims to a relying party, and their withdrawal,
// shared by every server. Make one with [Store.RelyingPartyConsentStore]. It is safe for
// concurrent use; a nil or zero RelyingPartyConsentStore refuses every call with
// store.ErrInvalidArgument.
//
// A record is stored under its ID as the JSON of every other field (the pairwise
// subject, the client, the purpose, the claims, the notice version, the times given and
// withdrawn), sealed with XChaCha20-Poly1305 under [Config.Keys] and bound to the ID, next
// to its version. Put is one compare-and-write statement.
type RelyingPartyConsentStore struct {
	s    *Store
	seal *sealer
}

var _ relyingparty.ConsentStore = (*RelyingPartyConsentStore)(nil)

// RelyingPartyConsentStore returns the relyingparty.ConsentStore of s. It needs
// [Config.Keys]: without them it returns an error matching store.ErrInvalidArgument.
func (s *Store) RelyingPartyConsentStore() (*RelyingPartyConsentStore, error) {
	sl, err := s.sealer(domainRelyingConsent)
	if err != nil {
		return nil, err
	}
	return &RelyingPartyConsentStore{s: s, seal: sl}, nil
}

// check refuses a nil or zero store (not made by the Store's method).
func (r *RelyingPartyConsentStore) check() error {
	if r == nil || r.seal == nil {
		return (*Store)(nil).check()
	}
	return r.s.check()
}

// relyingConsent is the sealed JSON of a relying-party consent record (its ID and version
// are the row's).
type relyingConsent struct {
	Subject     string               `json:"subject"`
	ClientID    string               `json:"client_id"`
	Purpose     string               `json:"purpose"`
	Claims      []relyingparty.Claim `json:"claims"`
	Notice      string               `json:"notice"`
	GivenAt     time.Time            `json:"given_at"`
	WithdrawnAt time.Time            `json:"withdrawn_at,omitzero"`
}

// Get implements relyingparty.ConsentStore. An unknown ID is found=false with no error;
// a row that does not open is an error matching [ErrNotAuthentic], one that opens but
// does not decode [ErrCorrupt]; other errors wrap
// [ErrUnavailable].
func (r *RelyingPartyConsentStore) Get(ctx context.Context, id string) (relyingparty.ConsentRecord, bool, error) {
	if err := r.check(); err != nil {
		return relyingparty.ConsentRecord{}, false, err
	}
	if id == "" || len(id) > maxConsentField {
		return relyingparty.ConsentRecord{}, false, nil
	}
	var version int64
	var sealed []byte
	err := r.s.pool.QueryRow(ctx, `SELECT version, sealed FROM trustid_relyingparty_consents WHERE id = $1`, id).Scan(&version, &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return relyingparty.ConsentRecord{}, false, nil
	}
	if err != nil {
		return relyingparty.ConsentRecord{}, false, wrap("relying-party consent get", err)
	}
	b, err := r.seal.open(id, sealed)
	if err != nil {
		return relyingparty.ConsentRecord{}, false, err
	}
	rec, err := decodeRelyingConsent(id, b)
	if err != nil {
		return relyingparty.ConsentRecord{}, false, err
	}
	rec.Version = uint64(version)
	return rec, true, nil
}

// encodeRelyingConsent returns the JSON that is sealed for r: every field but the ID and
// the version, which are the row's.
func encodeRelyingConsent(r relyingparty.ConsentRecord) ([]byte, error) {
	return json.Marshal(relyingConsent{Subject: r.Subject, ClientID: r.ClientID, Purpose: r.Purpose, Claims: r.Claims,
		Notice: r.Notice, GivenAt: r.GivenAt.UTC(), WithdrawnAt: r.WithdrawnAt.UTC()})
}

// decodeRelyingConsent decodes the opened JSON of the record id; the version is the
// caller's to set.
func decodeRelyingConsent(id string, b []byte) (relyingparty.ConsentRecord, error) {
	var rec relyingConsent
	if err := json.Unmarshal(b, &rec); err != nil {
		return relyingparty.ConsentRecord{}, fmt.Errorf("%w: relying-party consent", ErrCorrupt)
	}
	return relyingparty.ConsentRecord{ID: id, Subject: rec.Subject, ClientID: rec.ClientID, Purpose: rec.Purpose,
		Claims: rec.Claims, Notice: rec.Notice, GivenAt: rec.GivenAt, WithdrawnAt: rec.WithdrawnAt}, nil
}

const (
	rpConsentInsert = `INSERT INTO trustid_relyingparty_consents (id, version, sealed) VALUES ($1, $2::bigint + 1, $3)
ON CONFLICT (id) DO NOTHING RETURNING version`
	rpConsentUpdate = `UPDATE trustid_relyingparty_consents SET version = version + 1, sealed = $3
WHERE id = $1 AND version = $2 RETURNING version`
)

// Put implements relyingparty.ConsentStore with one statement: an insert that does
// nothing when the ID exists (Version 0), or an update where the stored version equals
// rec.Version. A stale version is an error matching store.ErrConflict and writes nothing.
// A record without an ID, or with one over 255 bytes, is refused with an error matching
// relyingparty.ErrInvalidArgument (and store.ErrInvalidArgument); other errors wrap
// [ErrUnavailable] and write nothing.
func (r *RelyingPartyConsentStore) Put(ctx context.Context, rec relyingparty.ConsentRecord) (uint64, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	if rec.ID == "" || len(rec.ID) > maxConsentField {
		return 0, invalid("relying-party consent put", relyingparty.ErrInvalidArgument)
	}
	if rec.Version > 1<<62 {
		return 0, fmt.Errorf("pgstore: relying-party consent put: %w", store.ErrConflict)
	}
	b, err := encodeRelyingConsent(rec)
	if err != nil {
		return 0, invalid("relying-party consent put", relyingparty.ErrInvalidArgument)
	}
	q := rpConsentUpdate
	if rec.Version == 0 {
		q = rpConsentInsert
	}
	var version int64
	err = r.s.pool.QueryRow(ctx, q, rec.ID, int64(rec.Version), r.seal.seal(rec.ID, b)).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("pgstore: relying-party consent put: %w", store.ErrConflict)
	}
	if err != nil {
		return 0, wrap("relying-party consent put", err)
	}
	return uint64(version), nil
}

// HandoffStore is a relyingparty.HandoffStore kept in PostgreSQL, so that the page polling
// for a QR sign-in and the wallet answering it may reach different servers. Make one with
// [Store.HandoffStore]. It is safe for concurrent use; a nil or zero HandoffStore refuses
// every call with store.ErrInvalidArgument.
//
// A value (the redirect with its authorisation code) is stored under the HMAC of the
// caller's key under [Config.IndexKey], sealed with XChaCha20-Poly1305 under
// [Config.Keys] and bound to the caller's key, so that the table gives a reader neither
// the key nor the code, and a row moved under another key does not open. Take is one
// DELETE ... RETURNING: of any number of concurrent Takes of one key, from any number of
// servers, exactly one gets the row.
type HandoffStore struct {
	s    *Store
	seal *sealer
}

var _ relyingparty.HandoffStore = (*HandoffStore)(nil)

// HandoffStore returns the relyingparty.HandoffStore of s. It needs [Config.Keys]:
// without them it returns an error matching store.ErrInvalidArgument.
func (s *Store) HandoffStore() (*HandoffStore, error) {
	sl, err := s.sealer(domainRelyingHandoff)
	if err != nil {
		return nil, err
	}
	return &HandoffStore{s: s, seal: sl}, nil
}

// check refuses a nil or zero store (not made by the Store's method).
func (h *HandoffStore) check() error {
	if h == nil || h.seal == nil {
		return (*Store)(nil).check()
	}
	return h.s.check()
}

// Put implements relyingparty.HandoffStore: one upsert of the sealed value until expires,
// replacing a value stored under key before. Expired values stay until [Store.Purge]
// deletes them, but are never returned. An error wraps [ErrUnavailable] and stores
// nothing.
func (h *HandoffStore) Put(ctx context.Context, key, value string, now, expires time.Time) error {
	if err := h.check(); err != nil {
		return err
	}
	_, err := h.s.pool.Exec(ctx, `INSERT INTO trustid_relyingparty_handoffs (key, expires, sealed) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET expires = excluded.expires, sealed = excluded.sealed`,
		h.s.index(domainRelyingHandoff, key), nanos(expires), h.seal.seal(key, []byte(value)))
	if err != nil {
		return wrap("handoff put", err)
	}
	return nil
}

// Take implements relyingparty.HandoffStore: it deletes the key's row and returns its
// value if it had not expired at now. An unknown, taken or expired key is found=false
// with no error; a row that does not open is an error matching [ErrNotAuthentic]; other
// errors wrap [ErrUnavailable]. Either error comes with found=false.
func (h *HandoffStore) Take(ctx context.Context, key string, now time.Time) (string, bool, error) {
	if err := h.check(); err != nil {
		return "", false, err
	}
	var expires int64
	var sealed []byte
	err := h.s.pool.QueryRow(ctx, `DELETE FROM trustid_relyingparty_handoffs WHERE key = $1 RETURNING expires, sealed`,
		h.s.index(domainRelyingHandoff, key)).Scan(&expires, &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("handoff take", err)
	}
	if nanos(now) >= expires {
		return "", false, nil
	}
	v, err := h.seal.open(key, sealed)
	if err != nil {
		return "", false, err
	}
	return string(v), true, nil
}
