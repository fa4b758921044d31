package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/trustid/trustid/store"
)

// fastFail makes a client give up quickly once the server is gone, so that the tests stay
// short; the defaults (three retries with back-off) behave the same, only slower.
func fastFail(o *redis.Options) {
	o.MaxRetries = 1
	o.DialerRetries = 1
	o.DialTimeout = 500 * time.Millisecond
	o.ReadTimeout = time.Second
	o.WriteTimeout = time.Second
}

// TestFailClosedServerStopped stops the server under a Store and checks that every call
// then fails with ErrUnavailable and never accepts; then starts a fresh, empty server on
// the same port (no cached scripts) and checks that the Store recovers by itself.
func TestFailClosedServerStopped(t *testing.T) {
	srv := startServer(t)
	c := newClient(t, srv.addr, fastFail)
	s, err := New(Config{Client: c, Secret: testSecret, Prefix: "failclosed"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rule := store.AttemptRule{Limit: 3, Window: time.Minute, Cooloff: time.Hour}
	if first, err := s.Claim(ctx, "seen", now, now.Add(time.Minute)); err != nil || !first {
		t.Fatalf("Claim before the stop = %v, %v", first, err)
	}
	if res, err := s.Take(ctx, "subject", now, rule); err != nil || !res.Allowed {
		t.Fatalf("Take before the stop = %+v, %v", res, err)
	}
	asked := s.AskedStore()
	if ok, err := asked.Claim(ctx, "subject", []string{"fact"}, now, now.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("asked Claim before the stop = %v, %v", ok, err)
	}

	srv.stop()

	for _, key := range []string{"seen", "fresh"} {
		first, err := s.Claim(ctx, key, now, now.Add(time.Minute))
		if e := isUnavailable(err); e != nil || first {
			t.Errorf("Claim(%s) with the server stopped = %v, %v; want false and ErrUnavailable (%v)", key, first, err, e)
		}
	}
	res, err := s.Take(ctx, "subject", now, rule)
	if e := isUnavailable(err); e != nil || res.Allowed {
		t.Errorf("Take with the server stopped = %+v, %v; want not allowed and ErrUnavailable (%v)", res, err, e)
	}
	if err := s.Reset(ctx, "subject"); isUnavailable(err) != nil {
		t.Errorf("Reset with the server stopped = %v; want ErrUnavailable", err)
	}
	// The asked store must not pass a claim it cannot check (a quiz would then repeat
	// values), nor report "nothing asked" for a subject it cannot read.
	for _, ids := range [][]string{{"fact"}, {"other"}} {
		ok, err := asked.Claim(ctx, "subject", ids, now, now.Add(time.Hour))
		if e := isUnavailable(err); e != nil || ok {
			t.Errorf("asked Claim(%q) with the server stopped = %v, %v; want false and ErrUnavailable (%v)", ids, ok, err, e)
		}
	}
	if ids, err := asked.Asked(ctx, "subject", now); isUnavailable(err) != nil || ids != nil {
		t.Errorf("Asked with the server stopped = %q, %v; want nothing and ErrUnavailable", ids, err)
	}

	bin, _ := exec.LookPath("redis-server")
	_, port, _ := net.SplitHostPort(srv.addr)
	p, _ := strconv.Atoi(port)
	startServerOn(t, bin, p)
	if first, err := s.Claim(ctx, "fresh", now, now.Add(time.Minute)); err != nil || !first {
		t.Errorf("Claim after the restart = %v, %v; want true, nil", first, err)
	}
	if res, err := s.Take(ctx, "subject", now, rule); err != nil || !res.Allowed {
		t.Errorf("Take after the restart = %+v, %v; want allowed", res, err)
	}
	if ok, err := asked.Claim(ctx, "subject", []string{"fact"}, now, now.Add(time.Hour)); err != nil || !ok {
		t.Errorf("asked Claim after the restart (an empty server) = %v, %v; want true, nil", ok, err)
	}
}

// TestFailClosedMidFlight kills the server while goroutines on several connections are
// claiming codes and counting attempts. Every call must either succeed or fail with
// ErrUnavailable; a failed call never accepts; no code is accepted twice; and once the
// server is gone, nothing is accepted at all.
func TestFailClosedMidFlight(t *testing.T) {
	srv := startServer(t)
	const conns, goroutines, codes = 3, 12, 400
	stores := make([]*Store, conns)
	for i := range stores {
		s, err := New(Config{Client: newClient(t, srv.addr, fastFail), Secret: testSecret, Prefix: "midflight"})
		if err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rule := store.AttemptRule{Limit: 1 << 20, Window: time.Hour}

	var (
		accepted  [codes]atomic.Int32
		successes atomic.Int64
		afterKill atomic.Int64 // calls started after the server was gone
		dead      atomic.Bool  // set once the server process has exited
		wg        sync.WaitGroup
	)
	for g := range goroutines {
		wg.Go(func() {
			s := stores[g%conns]
			failures := 0
			// Bounded: every goroutine walks the codes at most once.
			for i := range codes {
				code := (i + g*7) % codes
				gone := dead.Load()
				if gone {
					afterKill.Add(1)
				}
				var ok bool
				var err error
				if i%4 == 3 {
					var res store.AttemptResult
					res, err = s.Take(ctx, "subject", now, rule)
					ok = res.Allowed
				} else {
					ok, err = s.Claim(ctx, fmt.Sprintf("code/%d", code), now, now.Add(time.Minute))
					if ok {
						accepted[code].Add(1)
					}
				}
				switch {
				case err != nil && ok:
					t.Errorf("call failed (%v) but accepted", err)
				case err != nil && !errors.Is(err, ErrUnavailable):
					t.Errorf("call failed with %v, want ErrUnavailable", err)
				case err == nil && gone:
					t.Errorf("call succeeded (ok=%v) after the server was killed", ok)
				case err == nil:
					successes.Add(1)
				}
				if err != nil {
					if failures++; failures == 5 {
						return
					}
				}
			}
		})
	}
	// Kill the server once some calls have gone through; bounded wait.
	deadline := time.Now().Add(20 * time.Second)
	for successes.Load() < 200 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	srv.stop()
	dead.Store(true)
	wg.Wait()
	if successes.Load() == 0 {
		t.Fatal("no call succeeded before the server was killed; the test proved nothing")
	}
	for code := range codes {
		if n := accepted[code].Load(); n > 1 {
			t.Errorf("code %d accepted %d times", code, n)
		}
	}
	if afterKill.Load() == 0 {
		t.Error("no call started after the kill; the test proved nothing about it")
	}
	t.Logf("%d calls succeeded before the kill, %d calls started after it", successes.Load(), afterKill.Load())
}

// TestUnreachable checks a Store whose server was never there: a closed loopback port.
func TestUnreachable(t *testing.T) {
	c := newClient(t, fmt.Sprintf("127.0.0.1:%d", freePort(t)), fastFail)
	s, err := New(Config{Client: c, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	first, err := s.Claim(ctx, "k", now, now.Add(time.Minute))
	if e := isUnavailable(err); e != nil || first {
		t.Errorf("Claim = %v, %v; want false and ErrUnavailable (%v)", first, err, e)
	}
	res, err := s.Take(ctx, "k", now, store.AttemptRule{Limit: 1, Window: time.Minute})
	if e := isUnavailable(err); e != nil || res.Allowed {
		t.Errorf("Take = %+v, %v; want not allowed and ErrUnavailable (%v)", res, err, e)
	}
	ok, err := s.AskedStore().Claim(ctx, "k", []string{"id"}, now, now.Add(time.Minute))
	if e := isUnavailable(err); e != nil || ok {
		t.Errorf("asked Claim = %v, %v; want false and ErrUnavailable (%v)", ok, err, e)
	}
	ids, err := s.AskedStore().Asked(ctx, "k", now)
	if e := isUnavailable(err); e != nil || ids != nil {
		t.Errorf("Asked = %q, %v; want nothing and ErrUnavailable (%v)", ids, err, e)
	}
}

// TestContextEnded checks that an ended context is reported as unavailable and keeps
// its cause, so a host can tell its own deadline from a Redis outage.
func TestContextEnded(t *testing.T) {
	srv := startServer(t)
	s, err := New(Config{Client: newClient(t, srv.addr, nil), Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	now := time.Now()
	first, err := s.Claim(ctx, "k", now, now.Add(time.Minute))
	if first || !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Claim with a canceled context = %v, %v; want false, ErrUnavailable and context.Canceled", first, err)
	}
	res, err := s.Take(ctx, "k", now, store.AttemptRule{Limit: 1, Window: time.Minute})
	if res.Allowed || !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Take with a canceled context = %+v, %v; want not allowed, ErrUnavailable and context.Canceled", res, err)
	}
	ok, err := s.AskedStore().Claim(ctx, "k", []string{"id"}, now, now.Add(time.Minute))
	if ok || !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("asked Claim with a canceled context = %v, %v; want false, ErrUnavailable and context.Canceled", ok, err)
	}
	ids, err := s.AskedStore().Asked(ctx, "k", now)
	if ids != nil || !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("Asked with a canceled context = %q, %v; want nothing, ErrUnavailable and context.Canceled", ids, err)
	}
}
