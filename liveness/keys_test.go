package liveness_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/store"
)

// TestAttackDeviceLaundering: a device used to fail as many victims as it likes, because a
// pass with its owner's own identity reset the device's count as well as the owner's. With
// a cap of 5 per device, 4 victim sessions, 1 own pass, repeated, reached 40 victims in a
// few minutes. Now the pass resets only the subject's count, and the device is refused once
// it has begun 5 sessions in the window, whoever they were for.
func TestAttackDeviceLaundering(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	victims := 0
	for round := range 10 {
		for i := range 4 {
			_, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: fmt.Sprintf("victim-%d-%d", round, i), Device: "dev-X"}))
			if errors.Is(err, store.ErrLockedOut) {
				goto done
			}
			if err != nil {
				t.Fatalf("Begin: %v", err)
			}
			victims++
		}
		own, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "owner", Device: "dev-X", Reference: "photo-0001"}))
		if errors.Is(err, store.ErrLockedOut) {
			break
		}
		if err != nil {
			t.Fatalf("Begin(owner): %v", err)
		}
		if r, err := e.finishSimulated(own); err != nil || !r.Passed() {
			t.Fatalf("owner's Finish = %v, %v", r, err)
		}
	}
done:
	if victims > 4 {
		t.Errorf("one device began sessions for %d victims within one window, want at most 4 (cap 5, one used by the owner)", victims)
	}
}

// recordingStore remembers the keys it was asked about.
type recordingStore struct {
	store.AttemptStore
	mu   sync.Mutex
	keys []string
}

func (s *recordingStore) Take(ctx context.Context, key string, now time.Time, r store.AttemptRule) (store.AttemptResult, error) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return s.AttemptStore.Take(ctx, key, now, r)
}

// TestAttemptKeysAreKeyed: a shared attempt store sees HMACs of the subject and device under
// the index key, never the values or an unkeyed digest an outsider could recompute.
func TestAttemptKeysAreKeyed(t *testing.T) {
	keysUnder := func(indexKey byte) []string {
		rec := &recordingStore{AttemptStore: store.NewMemoryAttemptStore()}
		e := newEnv(t, func(c *liveness.Config) {
			c.AttemptStore = rec
			c.IndexKey = bytes.Repeat([]byte{indexKey}, 32)
		})
		e.begin("110105194912310021", "device-7")
		return rec.keys
	}
	a, b := keysUnder(1), keysUnder(2)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("keys = %q, %q; want a device and a subject key each", a, b)
	}
	for i := range a {
		if a[i] == b[i] {
			t.Errorf("key %d is the same under two index keys: %q", i, a[i])
		}
		if strings.Contains(a[i], "110105194912310021") || strings.Contains(a[i], "device-7") {
			t.Errorf("key %q holds the raw value", a[i])
		}
	}
}

// TestIndexKeyRequiredWithHostStore: a host store shared by several instances needs the
// same index key on all of them, so New refuses to make one up.
func TestIndexKeyRequiredWithHostStore(t *testing.T) {
	base := liveness.Config{
		Keys:       []store.Key{testKey(1, 0xA5)},
		Thresholds: []liveness.Threshold{testThreshold},
	}
	for name, mod := range map[string]func(*liveness.Config){
		"host store, no key": func(c *liveness.Config) { c.AttemptStore = store.NewMemoryAttemptStore() },
		"short key":          func(c *liveness.Config) { c.IndexKey = make([]byte, 31) },
	} {
		cfg := base
		mod(&cfg)
		if _, err := liveness.New(cfg); !errors.Is(err, liveness.ErrInvalidArgument) {
			t.Errorf("%s: New = %v, want ErrInvalidArgument", name, err)
		}
	}
	if _, err := liveness.New(base); err != nil {
		t.Errorf("in-memory defaults without an index key: %v", err)
	}
}
