package qrtoken

import (
	"cmp"
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/store"
)

// swapGuard lets a benchmark start over with an empty in-memory guard when its pool of
// distinct codes wraps around, so that every timed Open takes the accepting path.
type swapGuard struct {
	p atomic.Pointer[store.MemoryReplayGuard]
}

func (g *swapGuard) Claim(ctx context.Context, key string, now, exp time.Time) (bool, error) {
	return g.p.Load().Claim(ctx, key, now, exp)
}

const benchPool = 4096

// fixedNow is the benchmarks' reader clock: a fixed instant without the test clock's lock.
func fixedNow() time.Time { return t0 }

func BenchmarkIssue(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.issuer.Issue(b.Context(), cafeClaims(), PurposeInternetCafe()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens distinct cafe codes through the full path: base45 decoding, window
// check, cached per-window AEAD, claims parsing and the in-memory replay guard.
func BenchmarkOpen(b *testing.B) {
	g := &swapGuard{}
	g.p.Store(store.NewMemoryReplayGuard())
	e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = g, fixedNow })
	codes := make([]string, benchPool)
	for i := range codes {
		codes[i] = e.issue(b, cafeClaims(), PurposeInternetCafe())
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(codes) {
			i = 0
			g.p.Store(store.NewMemoryReplayGuard())
		}
		if _, err := e.reader.Open(ctx, codes[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBareAEADOpen is the yardstick for BenchmarkOpen: ChaCha20-Poly1305 Open of the
// same bytes (same nonce, ciphertext and additional data) with a ready AEAD instance.
func BenchmarkBareAEADOpen(b *testing.B) {
	e := newEnv(b)
	raw, err := DecodeBase45(e.issue(b, cafeClaims(), PurposeInternetCafe()))
	if err != nil {
		b.Fatal(err)
	}
	p := PurposeInternetCafe()
	a, err := deriveOnlineKey(DefaultSuite(), testSecret("k1"), kindOnline, 1, &p, DefaultWindow, windowNumber(t0, DefaultWindow))
	if err != nil {
		b.Fatal(err)
	}
	var nonce [chacha20poly1305.NonceSize]byte
	copy(nonce[:], raw[onlineHeaderLen:onlineHeaderLen+onlineNonceLen])
	aad := onlineAAD(raw[:onlineHeaderLen], p.binding(), nil)
	ct := raw[onlineHeaderLen+onlineNonceLen:]
	dst := make([]byte, 0, len(ct))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Open(dst[:0], nonce[:], ct, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueOffline(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.issuer.IssueOffline(b.Context(), cafeClaims(), PurposeInternetCafe(), e.group.Public()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenOffline(b *testing.B) {
	g := &swapGuard{}
	g.p.Store(store.NewMemoryReplayGuard())
	e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = g, fixedNow })
	codes := make([]string, 256)
	for i := range codes {
		codes[i] = e.issueOffline(b, cafeClaims(), PurposeInternetCafe())
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(codes) {
			i = 0
			g.p.Store(store.NewMemoryReplayGuard())
		}
		if _, err := e.reader.Open(ctx, codes[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// firstGuard accepts every key: a stand-in store for BenchmarkOpenGuardless, which
// measures the library's own cost without the in-memory guard's map.
type firstGuard struct{}

func (firstGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return true, nil
}

// BenchmarkOpenGuardless is BenchmarkOpen with a replay store that costs nothing, to
// separate the library's cost from the store's (a host's store, e.g. Redis, costs a
// network round trip anyway).
func BenchmarkOpenGuardless(b *testing.B) {
	e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = firstGuard{}, fixedNow })
	text := e.issue(b, cafeClaims(), PurposeInternetCafe())
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.reader.Open(ctx, text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenVsAEAD runs Open and a bare ChaCha20-Poly1305 Open of the same code's bytes
// (as BenchmarkBareAEADOpen) in one loop, in alternating blocks of 64, and reports Open's
// total time divided by the AEAD's ("x-aead"), leaving out the 1 % of block pairs that
// took longest. On a shared machine the load changes over milliseconds to seconds, so it
// hits both sides of a block pair alike, and a pair that was preempted is among the 1 %.
// The median of the per-block ratios would be steadier but is not used: it leaves out
// the blocks during which the garbage collector runs, which are about one in ten, and so
// the cost of Open's allocations.
// "guardless" replays one code into a store that costs nothing (the library's own cost);
// "memory-guard" opens distinct codes through the in-memory guard.
func BenchmarkOpenVsAEAD(b *testing.B) {
	for _, guarded := range []bool{false, true} {
		name := "guardless"
		if guarded {
			name = "memory-guard"
		}
		b.Run(name, func(b *testing.B) {
			g := &swapGuard{}
			g.p.Store(store.NewMemoryReplayGuard())
			var guard store.ReplayGuard = firstGuard{}
			if guarded {
				guard = g
			}
			e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = guard, fixedNow })
			codes := make([]string, benchPool)
			for i := range codes {
				codes[i] = e.issue(b, cafeClaims(), PurposeInternetCafe())
			}
			raw, err := DecodeBase45(codes[0])
			if err != nil {
				b.Fatal(err)
			}
			p := PurposeInternetCafe()
			a, err := deriveOnlineKey(DefaultSuite(), testSecret("k1"), kindOnline, 1, &p, DefaultWindow, windowNumber(t0, DefaultWindow))
			if err != nil {
				b.Fatal(err)
			}
			var nonce [chacha20poly1305.NonceSize]byte
			copy(nonce[:], raw[onlineHeaderLen:onlineHeaderLen+onlineNonceLen])
			aad := onlineAAD(raw[:onlineHeaderLen], p.binding(), nil)
			ct := raw[onlineHeaderLen+onlineNonceLen:]
			dst := make([]byte, 0, len(ct))
			ctx := b.Context()
			const block = 64
			type pair struct{ open, bare time.Duration }
			var pairs []pair
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				for range block {
					text := codes[0]
					if guarded {
						if i == len(codes) {
							i = 0
							g.p.Store(store.NewMemoryReplayGuard())
						}
						text = codes[i]
						i++
					}
					if _, err := e.reader.Open(ctx, text); err != nil {
						b.Fatal(err)
					}
				}
				mid := time.Now()
				for range block {
					if _, err := a.Open(dst[:0], nonce[:], ct, aad); err != nil {
						b.Fatal(err)
					}
				}
				pairs = append(pairs, pair{mid.Sub(start), time.Since(mid)})
			}
			slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.open+x.bare, y.open+y.bare) })
			var open, bare time.Duration
			for _, p := range pairs[:len(pairs)-len(pairs)/100] {
				open, bare = open+p.open, bare+p.bare
			}
			b.ReportMetric(float64(open)/float64(bare), "x-aead")
			n := float64((len(pairs) - len(pairs)/100) * block)
			b.ReportMetric(float64(open)/n, "open-ns")
			b.ReportMetric(float64(bare)/n, "aead-ns")
		})
	}
}
