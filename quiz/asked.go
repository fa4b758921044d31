package quiz

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// AskedStore remembers which facts a subject has recently been asked about and which
// distractors it has been shown, so that a retry asks different questions with different
// wrong options.
//
// Keys and IDs are opaque: the key is an HMAC of the subject and each ID an HMAC of a
// value, made with the examiner's index key, so a store never sees a subject or a fact in
// the clear.
//
// Asked returns every ID held under key whose expiry is after now, in any order, and
// nothing for an unknown key.
//
// Claim atomically checks and records: when none of ids is held under key at now, it
// records them all until expires and returns ok=true; otherwise it records nothing and
// returns ok=false. Of concurrent Claims on one key whose ids overlap, at most one
// succeeds. This is what keeps two quizzes begun at the same moment for one subject from
// asking the same fact with different distractors (whose intersection would be the
// answer).
//
// err is for system failures only: Begin refuses when either method fails.
type AskedStore interface {
	Asked(ctx context.Context, key string, now time.Time) ([]string, error)
	Claim(ctx context.Context, key string, ids []string, now, expires time.Time) (ok bool, err error)
}

const askedShards = 16

// MemoryAskedStore is an in-memory [AskedStore], safe for concurrent use. It drops expired
// IDs as it goes. It does not share state between processes. Make one with
// [NewMemoryAskedStore]; its methods must not be called on a nil *MemoryAskedStore (a
// store that silently remembered nothing would defeat its purpose).
type MemoryAskedStore struct {
	seed   maphash.Seed
	shards [askedShards]askedShard
}

type askedShard struct {
	mu        sync.Mutex
	m         map[string]map[string]int64 // key -> id -> expiry (Unix nanoseconds)
	nextSweep int
}

// NewMemoryAskedStore returns an empty store.
func NewMemoryAskedStore() *MemoryAskedStore {
	s := &MemoryAskedStore{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string]map[string]int64)
		s.shards[i].nextSweep = 64
	}
	return s
}

func (s *MemoryAskedStore) shard(key string) *askedShard {
	return &s.shards[maphash.String(s.seed, key)%askedShards]
}

// Claim implements [AskedStore]. It never returns an error.
func (s *MemoryAskedStore) Claim(_ context.Context, key string, ids []string, now, expires time.Time) (bool, error) {
	sh := s.shard(key)
	t, exp := now.UnixNano(), expires.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	m := sh.m[key]
	for _, id := range ids {
		if e, ok := m[id]; ok && t < e {
			return false, nil
		}
	}
	if t >= exp {
		return true, nil // nothing to keep
	}
	if m == nil {
		m = make(map[string]int64, len(ids))
		sh.m[key] = m
	}
	for _, id := range ids {
		m[id] = exp
	}
	if len(sh.m) >= sh.nextSweep {
		for k, held := range sh.m {
			for id, e := range held {
				if t >= e {
					delete(held, id)
				}
			}
			if len(held) == 0 {
				delete(sh.m, k)
			}
		}
		sh.nextSweep = max(64, 2*len(sh.m))
	}
	return true, nil
}

// Asked implements [AskedStore]. It never returns an error.
func (s *MemoryAskedStore) Asked(_ context.Context, key string, now time.Time) ([]string, error) {
	sh := s.shard(key)
	t := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	held := sh.m[key]
	var out []string
	for id, e := range held {
		if t < e {
			out = append(out, id)
		} else {
			delete(held, id)
		}
	}
	if held != nil && len(held) == 0 {
		delete(sh.m, key)
	}
	return out, nil
}
