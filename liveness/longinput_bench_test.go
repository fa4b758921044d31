package liveness_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustid/trustid/liveness"
)

// BenchmarkLongInput measures what a remote party's oversized input costs at each entry
// point of the package: 1 KiB to 10 MiB of text as the subject, the device and the photo
// reference of Begin, and as the token and the probe of Finish. Each is refused before any
// work; the cost must be flat in the size.
func BenchmarkLongInput(b *testing.B) {
	e := newEnv(b, benchConfig)
	for _, n := range []int{1 << 10, 64 << 10, 1 << 20, 10 << 20} {
		text := strings.Repeat("A", n)
		for _, en := range []struct {
			name string
			call func() error
		}{
			{"Begin.Subject", func() error {
				_, err := e.c.Begin(b.Context(), e.consented(liveness.BeginRequest{Subject: text, Device: "d"}))
				return err
			}},
			{"Begin.Reference", func() error {
				_, err := e.c.Begin(b.Context(), e.consented(liveness.BeginRequest{Subject: "s", Device: "d", Reference: liveness.PhotoRef(text)}))
				return err
			}},
			{"Finish.Token", func() error {
				_, err := e.c.Finish(b.Context(), liveness.FinishRequest{Token: text})
				return err
			}},
			{"Finish.Probe", func() error {
				_, err := e.c.Finish(b.Context(), liveness.FinishRequest{Token: "t", Probe: liveness.ProbeRef(text)})
				return err
			}},
			{"OpenResult", func() error { _, err := e.c.OpenResult(text); return err }},
		} {
			b.Run(fmt.Sprintf("%s/%dKiB", en.name, n>>10), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if en.call() == nil {
						b.Fatal("oversized input accepted")
					}
				}
			})
		}
	}
}
