package quiz_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustid/trustid/quiz"
)

// BenchmarkLongInput measures what a remote party's oversized input costs at each entry
// point: 1 KiB to 10 MiB as the subject, a fact's value and the device of Begin, and as
// Finish's token. Each is refused before any work; the cost must be flat in the size.
func BenchmarkLongInput(b *testing.B) {
	h := newHarness(b, nil)
	for _, n := range []int{1 << 10, 64 << 10, 1 << 20, 10 << 20} {
		text := strings.Repeat("A", n)
		for _, en := range []struct {
			name string
			call func() error
		}{
			{"Begin.Subject", func() error {
				_, err := h.ex.Begin(b.Context(), quiz.BeginRequest{Subject: text, Facts: h.facts})
				return err
			}},
			{"Begin.Device", func() error {
				_, err := h.ex.Begin(b.Context(), quiz.BeginRequest{Subject: "s", Device: text, Facts: h.facts})
				return err
			}},
			{"Begin.FactValue", func() error {
				f := append([]quiz.Fact{{Category: quiz.CategoryBank, Value: text}}, h.facts...)
				_, err := h.ex.Begin(b.Context(), quiz.BeginRequest{Subject: "s", Facts: f})
				return err
			}},
			{"Finish.Token", func() error {
				_, err := h.ex.Finish(b.Context(), quiz.FinishRequest{Token: text})
				return err
			}},
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
