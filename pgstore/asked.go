package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/store"
)

// AskedStore is a quiz.AskedStore kept in PostgreSQL: the memory of which facts a
// subject has been asked and which values it has been shown, shared by every server, so
// that a retry on another server still asks other questions with other wrong options.
// Make one with [Store.AskedStore]. It is safe for concurrent use.
//
// The caller key is stored as its HMAC under [Config.IndexKey]; the IDs are stored as
// given, since Asked must return them (package quiz passes HMACs, never facts).
type AskedStore struct {
	s *Store
}

// AskedStore returns the quiz.AskedStore of s.
func (s *Store) AskedStore() *AskedStore { return &AskedStore{s: s} }

// maxClaimIDs bounds one Claim (package quiz claims at most 20 questions × 11 values).
const maxClaimIDs = 4096

// Claim implements quiz.AskedStore. One call of a PL/pgSQL function locks the key's row,
// checks that none of ids is held at now and, if so, records them all until expires: of
// any number of concurrent Claims on one key whose ids overlap, from any number of
// servers, at most one returns true. Expired IDs of the key go on the way. The caller's
// times decide.
//
// An error wraps [ErrUnavailable] and comes with ok=false. More than 4096 IDs are refused
// with store.ErrInvalidArgument.
func (a *AskedStore) Claim(ctx context.Context, key string, ids []string, now, expires time.Time) (bool, error) {
	if err := a.s.check(); err != nil {
		return false, err
	}
	if len(ids) > maxClaimIDs {
		return false, fmt.Errorf("pgstore: asked claim: %d IDs, at most %d: %w", len(ids), maxClaimIDs, store.ErrInvalidArgument)
	}
	if ids == nil {
		ids = []string{}
	}
	var ok bool
	err := a.s.pool.QueryRow(ctx, `SELECT trustid_asked_claim($1, $2, $3, $4)`,
		a.s.index("asked", key), ids, nanos(now), nanos(expires)).Scan(&ok)
	if err != nil {
		return false, wrap("asked claim", err)
	}
	return ok, nil
}

// Asked implements quiz.AskedStore: the IDs held under key whose expiry is after now. An
// error wraps [ErrUnavailable] and comes with no IDs.
func (a *AskedStore) Asked(ctx context.Context, key string, now time.Time) ([]string, error) {
	if err := a.s.check(); err != nil {
		return nil, err
	}
	rows, err := a.s.pool.Query(ctx, `SELECT id FROM trustid_asked WHERE key = $1 AND expires > $2`, a.s.index("asked", key), nanos(now))
	if err != nil {
		return nil, wrap("asked", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap("asked", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("asked", err)
	}
	return ids, nil
}
