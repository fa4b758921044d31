package review

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/trustid/trustid/store"
)

// Query selects cases for [Store.List]. Every non-zero field must match; the zero Query
// matches every case.
type Query struct {
	// Applicant selects the cases of one applicant reference.
	Applicant string
	// Reviewer selects the cases assigned to one reviewer.
	Reviewer string
	// States selects cases in any of these states.
	States []State
	// WakeBefore selects cases whose WakeAt is set and not after it.
	WakeBefore time.Time
}

// Match reports whether c is selected by q. Store adapters may use it to filter.
func (q Query) Match(c *Case) bool {
	if q.Applicant != "" && c.Application.Applicant != q.Applicant {
		return false
	}
	if q.Reviewer != "" && c.Reviewer != q.Reviewer {
		return false
	}
	if len(q.States) > 0 && !slices.Contains(q.States, c.State) {
		return false
	}
	if !q.WakeBefore.IsZero() && (c.WakeAt.IsZero() || c.WakeAt.After(q.WakeBefore)) {
		return false
	}
	return true
}

// Store keeps cases. Implementations must be safe for concurrent use.
//
// Get returns a copy of the case with that ID, or an error matching [ErrNotFound].
//
// Put writes c if and only if the stored case's Version equals c.Version, the version
// c was read at (Version 0: the case is new and no case with its ID may exist yet). It
// stores the case with Version c.Version+1 and returns that version; c itself is not
// changed. Otherwise it returns an error matching store.ErrConflict and changes nothing.
// The check and the write are atomic, so of two concurrent writers that read the same
// version exactly one succeeds. Put must not keep c or share memory with it (use
// [Case.Clone]).
//
// PutAssigned is Put for a write that assigns c to the reviewer c.Reviewer (a non-empty
// ID; capacity is at least 1). In the same atomic step as the version check and the
// write it counts the reviewer's load: the stored cases other than c whose Reviewer is
// c.Reviewer and whose State is [StateInReview] or [StateResubmitted]. If the load is
// capacity or more it returns an error matching [ErrNoReviewer] and changes nothing,
// so concurrent assignments, from one Desk or from several sharing the store, never
// give a reviewer more than capacity cases. (A database adapter locks the reviewer's
// load, for example with SELECT ... FOR UPDATE on a row per reviewer or a counter under
// a CHECK constraint, in the transaction that writes the case.) A version conflict is
// reported as by Put.
//
// List returns copies of the cases matching q (see [Query.Match]) in ascending ID order.
//
// Errors other than ErrNotFound, store.ErrConflict and ErrNoReviewer are system
// failures; the Desk returns them wrapped in an [*Error] with [ReasonUnavailable].
// Package reviewtest checks an implementation.
type Store interface {
	Get(ctx context.Context, id string) (*Case, error)
	Put(ctx context.Context, c *Case) (version uint64, err error)
	PutAssigned(ctx context.Context, c *Case, capacity int) (version uint64, err error)
	List(ctx context.Context, q Query) ([]*Case, error)
}

// Counter is an optional ability of a [Store], found by type assertion: Count returns
// how many cases List(ctx, q) would return, without copying them. The Desk uses it to
// count reviewers' loads.
type Counter interface {
	Count(ctx context.Context, q Query) (int, error)
}

// MemoryStore is the in-memory [Store], safe for concurrent use. It indexes cases by
// applicant and, per reviewer, the cases in review or resubmitted (so a reviewer's load
// is counted without a scan); other queries scan every case. Make it with
// [NewMemoryStore]: its methods must not be called on a nil or zero MemoryStore (they
// panic).
type MemoryStore struct {
	mu          sync.RWMutex
	cases       map[string]*Case
	byApplicant map[string][]string
	// open holds, per reviewer, the IDs of the cases that count towards the reviewer's
	// load (State in loadStates).
	open map[string]map[string]struct{}
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{cases: make(map[string]*Case), byApplicant: make(map[string][]string),
		open: make(map[string]map[string]struct{})}
}

// Get implements [Store].
func (s *MemoryStore) Get(ctx context.Context, id string) (*Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cases[id]
	if !ok {
		return nil, ErrNotFound
	}
	return c.Clone(), nil
}

// Put implements [Store].
func (s *MemoryStore) Put(ctx context.Context, c *Case) (uint64, error) {
	return s.put(ctx, c, 0)
}

// PutAssigned implements [Store]: the load is read from the per-reviewer index under
// the store's lock.
func (s *MemoryStore) PutAssigned(ctx context.Context, c *Case, capacity int) (uint64, error) {
	if c == nil || c.Reviewer == "" {
		return 0, invalid("Reviewer", "an assigned case is required")
	}
	if capacity < 1 {
		return 0, invalid("capacity", "must be at least 1")
	}
	return s.put(ctx, c, capacity)
}

// put writes c; a capacity above zero is checked against c.Reviewer's load.
func (s *MemoryStore) put(ctx context.Context, c *Case, capacity int) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if c == nil || c.ID == "" {
		return 0, invalid("ID", "a case with an ID is required")
	}
	n := c.Clone()
	n.Version = c.Version + 1
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.cases[c.ID]
	switch {
	case !ok && c.Version != 0, ok && old.Version != c.Version:
		return 0, store.ErrConflict
	}
	if capacity > 0 {
		ids := s.open[n.Reviewer]
		load := len(ids)
		if _, self := ids[n.ID]; self {
			load--
		}
		if load >= capacity {
			return 0, ErrNoReviewer
		}
	}
	if ok {
		s.unindexOpen(old)
	}
	s.indexOpen(n)
	if ok && old.Application.Applicant != n.Application.Applicant {
		s.unindex(old)
		ok = false
	}
	if !ok {
		a := n.Application.Applicant
		s.byApplicant[a] = append(s.byApplicant[a], n.ID)
	}
	s.cases[c.ID] = n
	return n.Version, nil
}

// counts reports whether c counts towards its reviewer's load.
func counts(c *Case) bool {
	return c.Reviewer != "" && slices.Contains(loadStates, c.State)
}

func (s *MemoryStore) indexOpen(c *Case) {
	if !counts(c) {
		return
	}
	ids := s.open[c.Reviewer]
	if ids == nil {
		ids = make(map[string]struct{})
		s.open[c.Reviewer] = ids
	}
	ids[c.ID] = struct{}{}
}

func (s *MemoryStore) unindexOpen(c *Case) {
	if !counts(c) {
		return
	}
	ids := s.open[c.Reviewer]
	delete(ids, c.ID)
	if len(ids) == 0 {
		delete(s.open, c.Reviewer)
	}
}

func (s *MemoryStore) unindex(c *Case) {
	a := c.Application.Applicant
	ids := s.byApplicant[a]
	if i := slices.Index(ids, c.ID); i >= 0 {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(s.byApplicant, a)
	} else {
		s.byApplicant[a] = ids
	}
}

// openOnly reports whether q selects only cases of one reviewer in review or
// resubmitted, which the open index holds; all reports whether it selects every one
// of them.
func openOnly(q Query) (only, all bool) {
	if q.Reviewer == "" || len(q.States) == 0 {
		return false, false
	}
	for _, st := range q.States {
		if !slices.Contains(loadStates, st) {
			return false, false
		}
	}
	all = q.Applicant == "" && q.WakeBefore.IsZero()
	for _, st := range loadStates {
		all = all && slices.Contains(q.States, st)
	}
	return true, all
}

// List implements [Store].
func (s *MemoryStore) List(ctx context.Context, q Query) ([]*Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []*Case
	s.each(q, func(c *Case) { out = append(out, c.Clone()) })
	slices.SortFunc(out, func(a, b *Case) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Count implements [Counter]. A reviewer's load (Reviewer and both StateInReview and
// StateResubmitted, nothing else) is read from the index without visiting the cases.
func (s *MemoryStore) Count(ctx context.Context, q Query) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if _, all := openOnly(q); all {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return len(s.open[q.Reviewer]), nil
	}
	n := 0
	s.each(q, func(*Case) { n++ })
	return n, nil
}

// each calls fn, under the read lock, with every stored case q matches, visiting only
// an index's cases when one covers q.
func (s *MemoryStore) each(q Query, fn func(c *Case)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	visit := func(id string) {
		if c := s.cases[id]; q.Match(c) {
			fn(c)
		}
	}
	if only, _ := openOnly(q); only {
		for id := range s.open[q.Reviewer] {
			visit(id)
		}
		return
	}
	if q.Applicant != "" {
		for _, id := range s.byApplicant[q.Applicant] {
			visit(id)
		}
		return
	}
	for _, c := range s.cases {
		if q.Match(c) {
			fn(c)
		}
	}
}
