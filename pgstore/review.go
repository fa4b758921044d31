package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
)

// ReviewStore is a review.Store and review.Counter kept in PostgreSQL. Make one with
// [Store.ReviewStore]. It is safe for concurrent use.
//
// A case is stored as its JSON encoding sealed with XChaCha20-Poly1305 under
// [Config.Keys] (the claimed name and ID number never reach the table in clear), next to
// the columns its queries select on: the case ID, the version, the HMACs of the
// applicant reference and the reviewer ID under [Config.IndexKey], the state and the
// wake-up time. List and Count select on those columns with indexes (a reviewer's load
// is an index range over (reviewer, state), whatever the number of stored cases) and
// open only the cases they return.
//
// Put is one compare-and-write statement. PutAssigned runs in one transaction: it locks
// the reviewer's row in trustid_review_reviewers (an upsert, which takes the row lock
// as SELECT ... FOR UPDATE does), counts the reviewer's load from the index, checks the
// case's version, and writes; assignments to one reviewer from any number of Desks and
// servers therefore run one after another and never exceed the capacity. The outbox
// lives in the case, and Desk claims notices with a version-checked Put, so two Desks
// sweeping one database send each notice once.
type ReviewStore struct {
	s    *Store
	seal *sealer
	// beforeCommit, when set (tests only), runs inside PutAssigned's transaction once
	// the case is written, before the commit.
	beforeCommit func()
}

var (
	_ review.Store   = (*ReviewStore)(nil)
	_ review.Counter = (*ReviewStore)(nil)
)

// ReviewStore returns the review.Store of s. It needs [Config.Keys]: without them it
// returns an error matching store.ErrInvalidArgument.
func (s *Store) ReviewStore() (*ReviewStore, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	sl, err := newSealer(s.keys, domainReviewCase)
	if err != nil {
		return nil, err
	}
	return &ReviewStore{s: s, seal: sl}, nil
}

// loadStates are the states that count towards a reviewer's load (review.Store's
// PutAssigned contract).
var loadStates = []int16{int16(review.StateInReview), int16(review.StateResubmitted)}

// row is what one case writes.
type row struct {
	applicant, reviewer []byte
	state               int16
	wake                *int64
	sealed              []byte
}

func (r *ReviewStore) row(c *review.Case) (row, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return row{}, fmt.Errorf("pgstore: review case does not encode: %w", store.ErrInvalidArgument)
	}
	w := row{
		applicant: r.s.index("applicant", c.Application.Applicant),
		state:     int16(c.State),
		sealed:    r.seal.seal(c.ID, b),
	}
	if c.Reviewer != "" {
		w.reviewer = r.s.index("reviewer", c.Reviewer)
	}
	if !c.WakeAt.IsZero() {
		n := nanos(c.WakeAt)
		w.wake = &n
	}
	return w, nil
}

// open decodes a sealed case and sets its version from the column.
func (r *ReviewStore) open(id string, version int64, sealed []byte) (*review.Case, error) {
	b, err := r.seal.open(id, sealed)
	if err != nil {
		return nil, err
	}
	var c review.Case
	if err := json.Unmarshal(b, &c); err != nil || c.ID != id {
		return nil, fmt.Errorf("%w: review case", ErrCorrupt)
	}
	c.Version = uint64(version)
	return &c, nil
}

// Get implements review.Store.
func (r *ReviewStore) Get(ctx context.Context, id string) (*review.Case, error) {
	if err := r.s.check(); err != nil {
		return nil, err
	}
	var version int64
	var sealed []byte
	err := r.s.pool.QueryRow(ctx, `SELECT version, sealed FROM trustid_review_cases WHERE id = $1`, id).Scan(&version, &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstore: review case: %w", review.ErrNotFound)
	}
	if err != nil {
		return nil, wrap("review get", err)
	}
	return r.open(id, version, sealed)
}

const (
	caseInsert = `INSERT INTO trustid_review_cases (id, version, applicant, reviewer, state, wake_at, sealed)
VALUES ($1, $2::bigint + 1, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING version`
	caseUpdate = `UPDATE trustid_review_cases SET version = version + 1, applicant = $3, reviewer = $4, state = $5,
wake_at = $6, sealed = $7 WHERE id = $1 AND version = $2 RETURNING version`
)

// write runs the compare-and-write of c on q (the pool or a transaction).
func (r *ReviewStore) write(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, c *review.Case, w row) (uint64, error) {
	sql := caseUpdate
	if c.Version == 0 {
		sql = caseInsert
	}
	var version int64
	err := q.QueryRow(ctx, sql, c.ID, int64(c.Version), w.applicant, w.reviewer, w.state, w.wake, w.sealed).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("pgstore: review put: %w", store.ErrConflict)
	}
	if err != nil {
		return 0, wrap("review put", err)
	}
	return uint64(version), nil
}

func (r *ReviewStore) checkCase(c *review.Case) error {
	if c == nil || c.ID == "" {
		return fmt.Errorf("pgstore: a case with an ID is required: %w", store.ErrInvalidArgument)
	}
	if c.Version > 1<<62 {
		return fmt.Errorf("pgstore: review put: %w", store.ErrConflict)
	}
	return nil
}

// Put implements review.Store with one statement: an insert that does nothing when the
// ID exists (Version 0), or an update where the stored version equals c.Version.
func (r *ReviewStore) Put(ctx context.Context, c *review.Case) (uint64, error) {
	if err := r.s.check(); err != nil {
		return 0, err
	}
	if err := r.checkCase(c); err != nil {
		return 0, err
	}
	w, err := r.row(c)
	if err != nil {
		return 0, err
	}
	return r.write(ctx, r.s.pool, c, w)
}

// PutAssigned implements review.Store: lock the reviewer's row, count the load, check
// the version, write, in one transaction.
func (r *ReviewStore) PutAssigned(ctx context.Context, c *review.Case, capacity int) (uint64, error) {
	if err := r.s.check(); err != nil {
		return 0, err
	}
	if c == nil || c.Reviewer == "" {
		return 0, fmt.Errorf("pgstore: an assigned case is required: %w", store.ErrInvalidArgument)
	}
	if capacity < 1 {
		return 0, fmt.Errorf("pgstore: capacity must be at least 1: %w", store.ErrInvalidArgument)
	}
	if err := r.checkCase(c); err != nil {
		return 0, err
	}
	w, err := r.row(c)
	if err != nil {
		return 0, err
	}
	var version uint64
	err = pgx.BeginFunc(ctx, r.s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO trustid_review_reviewers AS v (reviewer) VALUES ($1)
ON CONFLICT (reviewer) DO UPDATE SET reviewer = v.reviewer`, w.reviewer); err != nil {
			return wrap("review assign", err)
		}
		// A new statement, so a new snapshot: it sees every assignment committed by the
		// lock's previous holders.
		var load int64
		var stored *int64
		if err := tx.QueryRow(ctx, `SELECT
	(SELECT count(*) FROM trustid_review_cases WHERE reviewer = $1 AND state = ANY ($2) AND id <> $3),
	(SELECT version FROM trustid_review_cases WHERE id = $3)`, w.reviewer, loadStates, c.ID).Scan(&load, &stored); err != nil {
			return wrap("review assign", err)
		}
		if (stored == nil && c.Version != 0) || (stored != nil && uint64(*stored) != c.Version) {
			return fmt.Errorf("pgstore: review put: %w", store.ErrConflict)
		}
		if load >= int64(capacity) {
			return fmt.Errorf("pgstore: review assign: %w", review.ErrNoReviewer)
		}
		version, err = r.write(ctx, tx, c, w)
		if err == nil && r.beforeCommit != nil {
			r.beforeCommit()
		}
		return err
	})
	if err != nil {
		if errors.Is(err, ErrUnavailable) || errors.Is(err, store.ErrConflict) || errors.Is(err, review.ErrNoReviewer) {
			return 0, err
		}
		return 0, wrap("review assign", err) // begin or commit failed
	}
	return version, nil
}

// where turns q into a WHERE clause on the indexed columns and its arguments.
func (r *ReviewStore) where(q review.Query) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.Applicant != "" {
		add("applicant = $%d", r.s.index("applicant", q.Applicant))
	}
	if q.Reviewer != "" {
		add("reviewer = $%d", r.s.index("reviewer", q.Reviewer))
	}
	if len(q.States) > 0 {
		states := make([]int16, len(q.States))
		for i, st := range q.States {
			states[i] = int16(st)
		}
		add("state = ANY ($%d)", states)
	}
	if !q.WakeBefore.IsZero() {
		add("wake_at <= $%d", nanos(q.WakeBefore))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List implements review.Store: the cases q selects, in ascending ID order (byte order).
// The columns select; each case opened is checked against q once more.
func (r *ReviewStore) List(ctx context.Context, q review.Query) ([]*review.Case, error) {
	if err := r.s.check(); err != nil {
		return nil, err
	}
	where, args := r.where(q)
	rows, err := r.s.pool.Query(ctx, `SELECT id, version, sealed FROM trustid_review_cases`+where+` ORDER BY id COLLATE "C"`, args...)
	if err != nil {
		return nil, wrap("review list", err)
	}
	defer rows.Close()
	var out []*review.Case
	for rows.Next() {
		var id string
		var version int64
		var sealed []byte
		if err := rows.Scan(&id, &version, &sealed); err != nil {
			return nil, wrap("review list", err)
		}
		c, err := r.open(id, version, sealed)
		if err != nil {
			return nil, err
		}
		if q.Match(c) {
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("review list", err)
	}
	return out, nil
}

// Count implements review.Counter: a count over the indexed columns, without opening a
// case. (A WakeBefore beyond the years 1677-2262 counts what List returns.)
func (r *ReviewStore) Count(ctx context.Context, q review.Query) (int, error) {
	if err := r.s.check(); err != nil {
		return 0, err
	}
	if !q.WakeBefore.IsZero() && (q.WakeBefore.Before(minTime) || q.WakeBefore.After(maxTime)) {
		cs, err := r.List(ctx, q)
		return len(cs), err
	}
	where, args := r.where(q)
	var n int64
	if err := r.s.pool.QueryRow(ctx, `SELECT count(*) FROM trustid_review_cases`+where, args...).Scan(&n); err != nil {
		return 0, wrap("review count", err)
	}
	return int(n), nil
}
