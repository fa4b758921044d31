package liveness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

func ExampleChallenger() {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	c, err := liveness.New(liveness.Config{
		// In production: 32 bytes from crypto/rand, kept in a secret store.
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{0x42}, 32)}},
		Thresholds: []liveness.Threshold{
			{Backend: "acme-face", ModelVersion: "2026.3", MinScore: 0.62, FalseMatchRate: 1e-5},
		},
		Matcher: livenesstest.FixedMatcher{Value: 0.87, Backend: "acme-face", ModelVersion: "2026.3"},
		Now:     func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The person agreed to the face check after reading version "face-2026-11" of the
	// consent text; the host records it and hands its ID to Begin.
	consent, err := c.Consents().Record(ctx, liveness.Consent{Subject: "hmac:3f9a0c",
		Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: now})
	if err != nil {
		panic(err)
	}
	ch, err := c.Begin(ctx, liveness.BeginRequest{Subject: "hmac:3f9a0c", Device: "dev:7b21", Reference: "photo:1001",
		Consent: consent})
	if err != nil {
		panic(err)
	}
	fmt.Println("steps:", len(ch.Client().Steps))

	// The host's analyser watches the video; Simulate stands in for it here.
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	now = obs[len(obs)-1].End.Add(time.Second)

	res, err := c.Finish(ctx, liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame:77"})
	if err != nil {
		panic(err)
	}
	fmt.Println("outcome:", res.Outcome, "liveness:", res.LivenessPassed(), "face:", res.FaceMatchPassed())
	client, _ := json.Marshal(res.Client())
	fmt.Println("client:", string(client))

	_, err = c.Finish(ctx, liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame:77"})
	fmt.Println("again:", errors.Is(err, store.ErrReplayed))
	// Output:
	// steps: 3
	// outcome: pass liveness: true face: true
	// client: {"outcome":"pass"}
	// again: true
}

func ExamplePADEvaluation() {
	// Scores of a presentation-attack detector: higher = more likely an attack.
	e, err := liveness.NewPADEvaluation(liveness.PADData{
		BonaFide: []float64{0.05, 0.10, 0.20, 0.30, 0.40, 0.55, 0.60, 0.70, 0.80, 0.90},
		Attacks: map[string][]float64{
			"print":  {0.35, 0.50, 0.65, 0.75, 0.85, 0.95},
			"screen": {0.15, 0.45, 0.60, 0.80},
		},
	})
	if err != nil {
		panic(err)
	}
	m, err := e.At(0.6)
	if err != nil {
		panic(err)
	}
	fmt.Printf("t=%.2f APCER(print)=%.3f APCER(screen)=%.3f worst=%s BPCER=%.2f\n",
		m.Threshold, m.APCER["print"], m.APCER["screen"], m.WorstSpecies, m.BPCER)
	m, _ = e.BPCERAt(4)
	fmt.Printf("BPCER4=%.2f at t=%.2f (max APCER %.2f)\n", m.BPCER, m.Threshold, m.MaxAPCER)
	// Output:
	// t=0.60 APCER(print)=0.333 APCER(screen)=0.500 worst=screen BPCER=0.40
	// BPCER4=0.50 at t=0.45 (max APCER 0.25)
}
