package pgstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"math"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trustid/trustid/store"
)

// MinIndexKeySize is the shortest [Config.IndexKey] accepted, in bytes.
const MinIndexKeySize = 32

var (
	// ErrUnavailable is returned, wrapped, when PostgreSQL could not be asked or did not
	// answer: no connection, a connection lost mid-transaction (the server was killed or
	// restarted), a timeout, a server error, or ctx ended first. The transaction was
	// rolled back: nothing of the call was written. Guards and limiters fail closed with
	// it (first=false, Allowed=false). The wrapped error keeps the cause, so
	// errors.Is(err, context.Canceled) works.
	ErrUnavailable = errors.New("pgstore: postgres unavailable")

	// ErrNotAuthentic is returned, wrapped, when a sealed row does not authenticate: a
	// sealed review case, consent record or hand-off that was tampered with, moved to
	// another ID, key or kind of record, sealed under a key no longer configured, or is
	// not a sealed record at all. The error carries no detail. The caller must refuse;
	// the row is left alone for an operator to inspect (a hand-off is deleted by the
	// Take that found it).
	ErrNotAuthentic = errors.New("pgstore: stored row not authentic")

	// ErrCorrupt is returned, wrapped, when a sealed row authenticates but its record
	// does not decode (or names another ID than its row's): a store or format problem,
	// not an attack, which fails earlier with [ErrNotAuthentic]. The caller must refuse.
	ErrCorrupt = errors.New("pgstore: stored record malformed")
)

// Config configures a [Store].
type Config struct {
	// Pool is the connection pool. Required. The tables live in the pool's search_path
	// (set search_path in the connection string to keep deployments apart in one
	// database); run [Migrate] on the same pool first. Timeouts and TLS are configured
	// on the pool; the Store never closes it.
	Pool *pgxpool.Pool

	// IndexKey keys the HMAC-SHA-256 that turns every replay, attempt, asked and
	// hand-off key, and every case's applicant reference and reviewer ID, into the bytes
	// stored and queried, so that no caller key is stored as given. At least [MinIndexKeySize]
	// bytes from a CSPRNG, the same on every server of one deployment. Changing it
	// forgets every claim, count, asked fact and hand-off and makes stored review cases
	// unfindable by applicant or reviewer. Required.
	IndexKey []byte

	// Keys seal review cases, consent records and hand-offs at rest
	// (XChaCha20-Poly1305): the first seals, all open, so a new key goes first and old
	// ones stay until every record sealed under them was written again (a consent
	// record, which is not rewritten, keeps its key in the list for as long as the
	// record is kept). Each Secret has at least 32 bytes from a CSPRNG; IDs are
	// distinct. Required for [Store.ReviewStore], [Store.LivenessConsentStore],
	// [Store.RelyingPartyConsentStore] and [Store.HandoffStore].
	//
	// pgstore seals with the default suite only: New refuses a key whose Suite is not
	// nil ([store.ErrInvalidArgument]) rather than seal with XChaCha20-Poly1305 what the
	// deployment meant to seal with that suite. An SM deployment (module smsuite) keeps
	// review cases, consents and hand-offs in a store that seals them with its suite, or
	// wraps the records itself before they reach pgstore.
	Keys []store.Key

	// Now is the clock used by [Store.Purge] when it is passed the zero time. Nil means
	// time.Now.
	Now func() time.Time
}

// Store is a [store.ReplayGuard] and a [store.AttemptStore] kept in PostgreSQL, shared
// by every server that uses the same database; its [Store.AskedStore],
// [Store.WalletStore], [Store.ReviewStore], [Store.LivenessConsentStore],
// [Store.RelyingPartyConsentStore] and [Store.HandoffStore] keep package quiz's asked
// facts, wallets, review cases, biometric consents, relying-party consents and QR
// sign-in hand-offs in the same database. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	keys []store.Key
	now  func() time.Time
	macs sync.Pool
}

var (
	_ store.ReplayGuard  = (*Store)(nil)
	_ store.AttemptStore = (*Store)(nil)
)

// New checks cfg and returns a Store. It does not contact the server: an unreachable
// server shows as [ErrUnavailable] from the first call.
func New(cfg Config) (*Store, error) {
	if cfg.Pool == nil {
		return nil, fmt.Errorf("pgstore: Config.Pool is required: %w", store.ErrInvalidArgument)
	}
	if len(cfg.IndexKey) < MinIndexKeySize {
		return nil, fmt.Errorf("pgstore: Config.IndexKey must be at least %d bytes: %w", MinIndexKeySize, store.ErrInvalidArgument)
	}
	if err := checkKeys(cfg.Keys, false); err != nil {
		return nil, err
	}
	key := append([]byte(nil), cfg.IndexKey...)
	s := &Store{pool: cfg.Pool, now: cfg.Now}
	for _, k := range cfg.Keys {
		s.keys = append(s.keys, store.Key{ID: k.ID, Secret: append([]byte(nil), k.Secret...)})
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.macs.New = func() any { return &mac{h: hmac.New(sha256.New, key)} }
	return s, nil
}

// mac is a pooled HMAC with its scratch space.
type mac struct {
	h   hash.Hash
	buf []byte
}

// index returns the HMAC-SHA-256 of domain, a zero byte and key. The domain makes the
// replay row and the attempt row of one caller key unrelated.
func (s *Store) index(domain, key string) []byte {
	m := s.macs.Get().(*mac)
	m.buf = append(append(append(m.buf[:0], domain...), 0), key...)
	m.h.Reset()
	m.h.Write(m.buf)
	sum := m.h.Sum(nil)
	if cap(m.buf) <= 1024 { // do not keep a huge caller key's buffer
		s.macs.Put(m)
	}
	return sum
}

func (s *Store) check() error {
	if s == nil || s.pool == nil {
		return fmt.Errorf("pgstore: use New: %w", store.ErrInvalidArgument)
	}
	return nil
}

// Claim implements [store.ReplayGuard]. One statement inserts the key with its expiry,
// or replaces a stored expiry that is not after now; it reports first=true when it
// wrote. Row locks make exactly one of any number of concurrent claims of one key, from
// any number of servers, first. A claim whose expiry is not after now is a first use
// unless the key is held, and is not stored. The caller's times decide, not the
// server's clock.
//
// An error wraps [ErrUnavailable] and comes with first=false.
func (s *Store) Claim(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	if err := s.check(); err != nil {
		return false, err
	}
	k := s.index("replay", key)
	t, exp := nanos(now), nanos(expires)
	var first bool
	var err error
	if t >= exp {
		err = s.pool.QueryRow(ctx, `WITH d AS (DELETE FROM trustid_replay WHERE key = $1 AND expires <= $2)
SELECT NOT EXISTS (SELECT 1 FROM trustid_replay WHERE key = $1 AND expires > $2)`, k, t).Scan(&first)
	} else {
		var n int
		err = s.pool.QueryRow(ctx, `WITH w AS (INSERT INTO trustid_replay AS r (key, expires) VALUES ($1, $2)
ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE r.expires <= $3 RETURNING 1)
SELECT count(*) FROM w`, k, exp, t).Scan(&n)
		first = n == 1
	}
	if err != nil {
		return false, wrap("claim", err)
	}
	return first, nil
}

// Take implements [store.AttemptStore] with exactly the semantics of
// store.MemoryAttemptStore: one call of a PL/pgSQL function locks the key's row, reads
// the count, window and lock-out, decides and writes, so concurrent Takes from any
// number of servers never allow more than r.Limit attempts per window. Times are the
// caller's.
//
// An invalid rule is refused with the rule's error before the server is asked. Any other
// error wraps [ErrUnavailable] and comes with Allowed=false.
func (s *Store) Take(ctx context.Context, key string, now time.Time, r store.AttemptRule) (store.AttemptResult, error) {
	if err := r.Validate(); err != nil {
		return store.AttemptResult{}, err
	}
	if err := s.check(); err != nil {
		return store.AttemptResult{}, err
	}
	t := nanos(now)
	var lock *int64
	if r.Cooloff > 0 {
		l := addSat(t, r.Cooloff)
		lock = &l
	}
	var (
		allowed   bool
		remaining int32
		retry     *int64
	)
	err := s.pool.QueryRow(ctx, `SELECT allowed, remaining, retry_at FROM trustid_attempt_take($1, $2, $3, $4, $5)`,
		s.index("attempts", key), t, int32(min(r.Limit, math.MaxInt32)), addSat(t, r.Window), lock).Scan(&allowed, &remaining, &retry)
	if err != nil {
		return store.AttemptResult{}, wrap("take", err)
	}
	res := store.AttemptResult{Allowed: allowed, Remaining: int(remaining)}
	if retry != nil {
		res.RetryAt = time.Unix(0, *retry)
	}
	return res, nil
}

// Reset implements [store.AttemptStore]: it deletes key's count and lock-out. Resetting
// an unknown key is not an error. An error wraps [ErrUnavailable].
func (s *Store) Reset(ctx context.Context, key string) error {
	if err := s.check(); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM trustid_attempts WHERE key = $1`, s.index("attempts", key)); err != nil {
		return wrap("reset", err)
	}
	return nil
}

// Purge deletes the replay claims, attempt counts, asked facts and QR sign-in hand-offs
// that have expired at now (the zero time means Config.Now), and returns how many rows went. Expired rows
// never change an answer; Purge only keeps the tables from growing. Run it from one
// server every few minutes; running it from several at once is safe.
func (s *Store) Purge(ctx context.Context, now time.Time) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if now.IsZero() {
		now = s.now()
	}
	t := nanos(now)
	var n int64
	for _, q := range []string{
		`DELETE FROM trustid_replay WHERE expires <= $1`,
		`DELETE FROM trustid_attempts WHERE greatest(window_end, locked_until) <= $1`,
		`DELETE FROM trustid_asked WHERE expires <= $1`,
		`DELETE FROM trustid_asked_keys WHERE expires <= $1`,
		`DELETE FROM trustid_relyingparty_handoffs WHERE expires <= $1`,
	} {
		tag, err := s.pool.Exec(ctx, q, t)
		if err != nil {
			return n, wrap("purge", err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}

// nanos returns t as Unix nanoseconds, saturated at the ends of the int64 range (the
// years 1677 and 2262), as store.MemoryAttemptStore caps a window end or lock-out.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return math.MinInt64
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// addSat returns t+d, or the largest int64 where the sum would overflow.
func addSat(t int64, d time.Duration) int64 {
	if t > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return t + int64(d)
}

// Serialization failures and deadlocks: the transaction was rolled back and may be
// retried after reading again, as after a version conflict.
const (
	sqlSerializationFailure = "40001"
	sqlDeadlockDetected     = "40P01"
)

// wrap classifies a failed call: a serialization failure or deadlock is a conflict
// (re-read and retry), anything else is unavailability. Server error texts name
// tables and constraints, never values, so they are safe to keep.
func wrap(op string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == sqlSerializationFailure || pe.Code == sqlDeadlockDetected) {
		return fmt.Errorf("pgstore: %s: %w", op, store.ErrConflict)
	}
	if errors.As(err, &pe) {
		// Detail can quote a key's value; keep only the code and message.
		return fmt.Errorf("%w: %s: %s (SQLSTATE %s)", ErrUnavailable, op, pe.Message, pe.Code)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}
