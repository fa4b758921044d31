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
// Keys and fact IDs are opaque: the key is an HMAC of the subject and each fact ID an HMAC
// of the fact, made with the examiner's index key, so a store never sees a subject or a
// fact in the clear.
//
// Remember records ids under key until expires; remembering an ID again keeps the later
// expiry. Asked returns every ID remembered under key whose expiry is after now, in any
// order, and nothing for an unknown key. err is for system failures only: Begin refuses
// when either method fails.
type AskedStore interface {
	Remember(ctx context.Context, key string, ids []string, now, expires time.Time) error
	Asked(ctx context.Context, key string, now time.Time) ([]string, error)
}

const askedShards = 16

// MemoryAskedStore is an in-memory [AskedStore], safe for concurrent use. It drops expired
// IDs as it goes. It does not share state between processes.
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

// Remember implements [AskedStore]. It never returns an error.
func (s *MemoryAskedStore) Remember(_ context.Context, key string, ids []string, now, expires time.Time) error {
	sh := &s.shards[maphash.String(s.seed, key)%askedShards]
	t, exp := now.UnixNano(), expires.UnixNano()
	if t >= exp {
		return nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	m := sh.m[key]
	if m == nil {
		m = make(map[string]int64, len(ids))
		sh.m[key] = m
	}
	for _, id := range ids {
		if m[id] < exp {
			m[id] = exp
		}
	}
	if len(sh.m) >= sh.nextSweep {
		for k, ids := range sh.m {
			for id, e := range ids {
				if t >= e {
					delete(ids, id)
				}
			}
			if len(ids) == 0 {
				delete(sh.m, k)
			}
		}
		sh.nextSweep = max(64, 2*len(sh.m))
	}
	return nil
}

// Asked implements [AskedStore]. It never returns an error.
func (s *MemoryAskedStore) Asked(_ context.Context, key string, now time.Time) ([]string, error) {
	sh := &s.shards[maphash.String(s.seed, key)%askedShards]
	t := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var out []string
	for id, e := range sh.m[key] {
		if t < e {
			out = append(out, id)
		} else {
			delete(sh.m[key], id)
		}
	}
	if len(sh.m[key]) == 0 {
		delete(sh.m, key)
	}
	return out, nil
}
