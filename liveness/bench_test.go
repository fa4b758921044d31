package liveness_test

import (
	"context"
	"crypto/ed25519"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// benchConfig: an attempt cap high enough not to lock the one subject.
func benchConfig(c *liveness.Config) {
	c.Attempts = store.AttemptRule{Limit: 1 << 30, Window: time.Hour}
}

func BenchmarkBegin(b *testing.B) {
	e := newEnv(b, benchConfig)
	req := e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Reference: "photo-1"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.c.Begin(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFinish measures Finish on one token with a replay guard that lets every claim
// through (the in-memory guard is measured on its own below), so every iteration runs
// the full path: open, decode, claim, check three observations, apply the threshold.
func BenchmarkFinish(b *testing.B) {
	e := newEnv(b, func(c *liveness.Config) { benchConfig(c); c.ReplayGuard = forgetfulGuard{} })
	ch := e.begin("subj-A", "dev-A")
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[2].End.Add(time.Second))
	req := liveness.FinishRequest{Observations: obs, Score: goodScore()}
	b.ReportAllocs()
	for b.Loop() {
		if r, err := e.c.Finish(context.Background(), withToken(req, ch.Token)); err != nil || !r.Passed() {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkBeginFinish is one whole session with the in-memory replay guard.
func BenchmarkBeginFinish(b *testing.B) {
	e := newEnv(b, benchConfig)
	b.ReportAllocs()
	for b.Loop() {
		e.clk.Set(t0)
		ch := e.begin("subj-A", "dev-A")
		if r, err := e.finishSimulated(ch); err != nil || !r.Passed() {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkMemoryReplayGuardParallel claims distinct keys from all goroutines; key
// formatting is included in the figure.
func BenchmarkMemoryReplayGuardParallel(b *testing.B) {
	g := store.NewMemoryReplayGuard()
	var n atomic.Uint64
	exp := t0.Add(time.Minute)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 0, 32)
		for pb.Next() {
			key := string(strconv.AppendUint(append(buf[:0], "liveness/"...), n.Add(1), 10))
			if first, err := g.Claim(context.Background(), key, t0, exp); !first || err != nil {
				b.Fatal("claim refused")
			}
		}
	})
}

// BenchmarkResultToken measures sealing and opening a liveness result for a journey that
// spans servers, and reports the token's length.
func BenchmarkResultToken(b *testing.B) {
	e := newEnv(b, benchConfig)
	ch, err := e.c.Begin(b.Context(), e.consented(liveness.BeginRequest{Subject: "sub1:0123456789abcdefghijklmnopqrstuv", Device: "dev-A",
		Reference: "photo-0001", CheckID: "AAAAAAAAAAAAAAAAAAAAAA"}))
	if err != nil {
		b.Fatal(err)
	}
	r, err := e.finishSimulated(ch)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := e.c.SealResult(r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Seal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.c.SealResult(r); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(tok)), "token-bytes")
	})
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.c.OpenResult(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDeviceBound measures a device-bound session: Begin with a device key, Finish
// with 30 signed capture envelopes (replay guard as in BenchmarkFinish), and the Ed25519
// verification of 30 envelopes alone, whose share of Finish is the cost of the binding.
func BenchmarkDeviceBound(b *testing.B) {
	e := newEnv(b, func(c *liveness.Config) { benchConfig(c); c.ReplayGuard = forgetfulGuard{} })
	dev := livenesstest.NewDevice()
	req := e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Reference: "photo-1", DeviceKey: dev.PublicKey()})
	b.Run("Begin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.c.Begin(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	ch := e.beginBound("subj-A", "dev-A", dev, nil)
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	capture := dev.Capture(ch, obs, 30)
	e.clk.Set(obs[2].End.Add(time.Second))
	fin := liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore(), Capture: capture}
	b.Run("Finish30", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if r, err := e.c.Finish(context.Background(), fin); err != nil || !r.Passed() {
				b.Fatal(r, err)
			}
		}
	})
	pub := dev.PublicKey()
	b.Run("Verify30", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range capture {
				if !ed25519.Verify(pub, capture[i].SignedMessage(), capture[i].Signature) {
					b.Fatal("signature")
				}
			}
		}
	})
}
