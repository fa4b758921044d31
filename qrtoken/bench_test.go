package qrtoken

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/internal/replay"
)

// swapGuard lets a benchmark start over with an empty in-memory guard when its pool of
// distinct codes wraps around, so that every timed Open takes the accepting path.
type swapGuard struct{ p atomic.Pointer[replay.Memory] }

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
		if _, err := e.issuer.Issue(b.Context(), cafeClaims(), PurposeInternetCafe); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens distinct cafe codes through the full path: base45 decoding, window
// check, cached per-window AEAD, claims parsing and the in-memory replay guard.
func BenchmarkOpen(b *testing.B) {
	g := &swapGuard{}
	g.p.Store(replay.NewMemory())
	e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = g, fixedNow })
	codes := make([]string, benchPool)
	for i := range codes {
		codes[i] = e.issue(b, cafeClaims(), PurposeInternetCafe)
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(codes) {
			i = 0
			g.p.Store(replay.NewMemory())
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
	raw, err := DecodeBase45(e.issue(b, cafeClaims(), PurposeInternetCafe))
	if err != nil {
		b.Fatal(err)
	}
	p := PurposeInternetCafe
	a, err := deriveOnlineKey(testSecret("k1"), kindOnline, 1, &p, DefaultWindow, windowNumber(t0, DefaultWindow))
	if err != nil {
		b.Fatal(err)
	}
	var nonce [chacha20poly1305.NonceSize]byte
	copy(nonce[:], raw[onlineHeaderLen:onlineHeaderLen+onlineNonceLen])
	aad := onlineAAD(raw[:onlineHeaderLen], &p, nil)
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
		if _, err := e.issuer.IssueOffline(b.Context(), cafeClaims(), PurposeInternetCafe, e.group.Public()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenOffline(b *testing.B) {
	g := &swapGuard{}
	g.p.Store(replay.NewMemory())
	e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = g, fixedNow })
	codes := make([]string, 256)
	for i := range codes {
		codes[i] = e.issueOffline(b, cafeClaims(), PurposeInternetCafe)
	}
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(codes) {
			i = 0
			g.p.Store(replay.NewMemory())
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
	text := e.issue(b, cafeClaims(), PurposeInternetCafe)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.reader.Open(ctx, text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenVsAEAD runs Open and a bare ChaCha20-Poly1305 Open of the same code's bytes
// (as BenchmarkBareAEADOpen) in one loop, in alternating blocks of 64, and reports the
// median over the blocks of Open's time divided by the AEAD's ("x-aead"). On a shared
// machine the load changes over milliseconds to seconds, so it hits both sides of a block
// pair alike, and a block that was preempted is an outlier the median ignores.
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
			g.p.Store(replay.NewMemory())
			var guard ReplayGuard = firstGuard{}
			if guarded {
				guard = g
			}
			e := newEnv(b, func(_ *IssuerConfig, rc *ReaderConfig) { rc.ReplayGuard, rc.Now = guard, fixedNow })
			codes := make([]string, benchPool)
			for i := range codes {
				codes[i] = e.issue(b, cafeClaims(), PurposeInternetCafe)
			}
			raw, err := DecodeBase45(codes[0])
			if err != nil {
				b.Fatal(err)
			}
			p := PurposeInternetCafe
			a, err := deriveOnlineKey(testSecret("k1"), kindOnline, 1, &p, DefaultWindow, windowNumber(t0, DefaultWindow))
			if err != nil {
				b.Fatal(err)
			}
			var nonce [chacha20poly1305.NonceSize]byte
			copy(nonce[:], raw[onlineHeaderLen:onlineHeaderLen+onlineNonceLen])
			aad := onlineAAD(raw[:onlineHeaderLen], &p, nil)
			ct := raw[onlineHeaderLen+onlineNonceLen:]
			dst := make([]byte, 0, len(ct))
			ctx := b.Context()
			const block = 64
			var ratios []float64
			var open, bare time.Duration
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				for range block {
					text := codes[0]
					if guarded {
						if i == len(codes) {
							i = 0
							g.p.Store(replay.NewMemory())
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
				end := time.Now()
				open, bare = open+mid.Sub(start), bare+end.Sub(mid)
				ratios = append(ratios, float64(mid.Sub(start))/float64(end.Sub(mid)))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-aead")
			n := float64(len(ratios) * block)
			b.ReportMetric(float64(open)/n, "open-ns")
			b.ReportMetric(float64(bare)/n, "aead-ns")
		})
	}
}
