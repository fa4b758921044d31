package livenesstest_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// Simulate stands in for the host's frame analyser in tests and demos: it reports each
// requested action, in order, at a human pace, bound to the challenge's session.
func ExampleSimulate() {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	c, err := liveness.New(liveness.Config{
		Keys:       []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{7}, 32)}},
		Thresholds: []liveness.Threshold{{Backend: "demo", ModelVersion: "1", MinScore: 0.6, FalseMatchRate: 1e-4}},
		Matcher:    livenesstest.FixedMatcher{Value: 0.9, Backend: "demo", ModelVersion: "1"},
		Now:        func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	consent, err := c.Consents().Record(context.Background(), liveness.Consent{Subject: "subject-1",
		Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: now})
	if err != nil {
		panic(err)
	}
	ch, err := c.Begin(context.Background(), liveness.BeginRequest{Subject: "subject-1", Device: "device-1", Reference: "photo-1",
		Consent: consent})
	if err != nil {
		panic(err)
	}
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	inOrder := true
	for i, o := range obs {
		inOrder = inOrder && o.Action == ch.Steps[i].Action && o.Session == ch.SessionID
	}
	fmt.Println(len(obs), "observations, in the challenge's order:", inOrder)

	now = obs[len(obs)-1].End.Add(time.Second)
	res, err := c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame-1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Outcome)
	// Output:
	// 3 observations, in the challenge's order: true
	// pass
}
