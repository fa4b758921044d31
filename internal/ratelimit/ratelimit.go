// Package ratelimit counts attempts per key (a subject, a device, an applicant) within a
// window and locks the key out for a cool-off once the limit is reached.
//
// Liveness and quiz sessions count an attempt when a session begins, so that opening new
// sessions cannot walk around the cap, and reset the count on success. The review workflow
// counts applications per applicant. [Memory] is the in-process default; package
// ratelimittest is the conformance suite for a host's shared adapter.
package ratelimit

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// Rule says how many attempts a key may make within Window, and how long it is locked
// out once it has made them. A zero Cooloff means the key is refused only until its window
// ends.
type Rule struct {
	Limit   int
	Window  time.Duration
	Cooloff time.Duration
}

// Validate reports whether the rule can be enforced.
func (r Rule) Validate() error {
	if r.Limit < 1 {
		return errors.New("ratelimit: Limit must be at least 1")
	}
	if r.Window <= 0 {
		return errors.New("ratelimit: Window must be positive")
	}
	if r.Cooloff < 0 {
		return errors.New("ratelimit: Cooloff must not be negative")
	}
	return nil
}

// Result is the outcome of one [Store.Take].
type Result struct {
	// Allowed is true when the attempt was counted and may go ahead.
	Allowed bool
	// Remaining is how many more attempts the key may make in the current window; after a
	// refusal it is 0.
	Remaining int
	// RetryAt is, after a refusal, the earliest time the key may try again; after an
	// allowed attempt that used up the limit, when the lock-out ends. Otherwise zero.
	RetryAt time.Time
}

// Store counts attempts.
//
// Take atomically counts one attempt by key at now under rule r, or refuses it when the key
// is locked out or has used its limit in the current window. A window starts at the first
// attempt counted after the previous window ended. When an allowed attempt reaches the
// limit and r.Cooloff is positive, the key is locked until now+r.Cooloff or the end of the
// window, whichever is later, and that is the RetryAt reported. Concurrent Takes
// of one key never allow more than r.Limit attempts per window.
//
// Reset forgets the key's count and lock-out (after a success).
//
// err is for system failures only; callers refuse the attempt when err is not nil.
type Store interface {
	Take(ctx context.Context, key string, now time.Time, r Rule) (Result, error)
	Reset(ctx context.Context, key string) error
}

const shards = 32

type entry struct {
	count       int
	lockedUntil int64
	windowEnd   int64
}

// Memory is an in-memory [Store], safe for concurrent use. Entries whose window and
// lock-out have both passed are dropped. It does not share counts between processes.
type Memory struct {
	seed   maphash.Seed
	shards [shards]memShard
}

type memShard struct {
	mu        sync.Mutex
	m         map[string]*entry
	nextSweep int
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	s := &Memory{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string]*entry)
		s.shards[i].nextSweep = 64
	}
	return s
}

func (s *Memory) shard(key string) *memShard {
	return &s.shards[maphash.String(s.seed, key)%shards]
}

// Take implements [Store]. It returns an error only for an invalid rule.
func (s *Memory) Take(_ context.Context, key string, now time.Time, r Rule) (Result, error) {
	if err := r.Validate(); err != nil {
		return Result{}, err
	}
	sh := s.shard(key)
	t := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e := sh.m[key]
	if e != nil && t < e.lockedUntil {
		return Result{RetryAt: time.Unix(0, e.lockedUntil)}, nil
	}
	if e == nil || t >= e.windowEnd {
		if e == nil {
			e = &entry{}
			sh.m[key] = e
		}
		*e = entry{windowEnd: addSat(t, r.Window)}
	}
	if e.count >= r.Limit {
		return Result{RetryAt: time.Unix(0, e.windowEnd)}, nil
	}
	e.count++
	res := Result{Allowed: true, Remaining: r.Limit - e.count}
	if e.count >= r.Limit && r.Cooloff > 0 {
		// A cool-off shorter than the window would end while the used-up window still
		// refuses: the lock-out lasts until whichever ends later.
		e.lockedUntil = max(addSat(t, r.Cooloff), e.windowEnd)
		res.RetryAt = time.Unix(0, e.lockedUntil)
	}
	if len(sh.m) >= sh.nextSweep {
		for k, v := range sh.m {
			if t >= v.windowEnd && t >= v.lockedUntil {
				delete(sh.m, k)
			}
		}
		sh.nextSweep = max(64, 2*len(sh.m))
	}
	return res, nil
}

// addSat returns t+d, or the largest Unix nanosecond time (in the year 2262) where the sum
// would overflow: a wrapped window end would lie in the past and let every attempt through.
func addSat(t int64, d time.Duration) int64 {
	if t > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return t + int64(d)
}

// Reset implements [Store]. It never returns an error.
func (s *Memory) Reset(_ context.Context, key string) error {
	sh := s.shard(key)
	sh.mu.Lock()
	delete(sh.m, key)
	sh.mu.Unlock()
	return nil
}

// size returns the number of entries held, stale or not (for tests).
func (s *Memory) size() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}
