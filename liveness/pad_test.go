package liveness_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/liveness"
)

// padData is a small hand-made data set (not from a real detector). Scores: higher =
// more likely an attack; a presentation is classified as an attack when score >= t.
//
//	bona fide (10): 0.05 0.10 0.20 0.30 0.40 0.55 0.60 0.70 0.80 0.90
//	print      (6): 0.35 0.50 0.65 0.75 0.85 0.95
//	screen     (4): 0.15 0.45 0.60 0.80
func padData() liveness.PADData {
	return liveness.PADData{
		// Deliberately unsorted: the evaluation sorts its own copy.
		BonaFide: []float64{0.90, 0.05, 0.10, 0.20, 0.30, 0.40, 0.55, 0.60, 0.70, 0.80},
		Attacks: map[string][]float64{
			"print":  {0.95, 0.35, 0.50, 0.65, 0.75, 0.85},
			"screen": {0.80, 0.15, 0.45, 0.60},
		},
	}
}

func TestPADMetrics(t *testing.T) {
	e, err := liveness.NewPADEvaluation(padData())
	if err != nil {
		t.Fatal(err)
	}
	metrics := func(th, print, screen, maxA float64, worst string, bpcer float64) liveness.PADMetrics {
		return liveness.PADMetrics{Threshold: th, APCER: map[string]float64{"print": print, "screen": screen},
			MaxAPCER: maxA, WorstSpecies: worst, BPCER: bpcer}
	}
	above := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
	tests := []struct {
		name string
		got  func() (liveness.PADMetrics, error)
		want liveness.PADMetrics
	}{
		// t = 0.6: print misses 0.35, 0.50 -> APCER 2/6; screen misses 0.15, 0.45 (0.60 is
		// >= t, caught) -> 2/4 = 0.5, the worst; bona fide rejected 0.60 0.70 0.80 0.90 -> 4/10.
		{"At(0.6)", func() (liveness.PADMetrics, error) { return e.At(0.6) },
			metrics(0.6, 2.0/6, 0.5, 0.5, "screen", 0.4)},
		// t = 0.3: print misses none -> 0; screen misses 0.15 -> 1/4; bona fide 0.30..0.90 -> 7/10.
		{"At(0.3)", func() (liveness.PADMetrics, error) { return e.At(0.3) },
			metrics(0.3, 0, 0.25, 0.25, "screen", 0.7)},
		// BPCER at APCER <= 1/4: print may miss floor(6/4) = 1 -> t <= 2nd lowest 0.50;
		// screen floor(4/4) = 1 -> t <= 0.45; t = min = 0.45. print misses 0.35 -> 1/6,
		// screen 0.15 -> 1/4; bona fide 0.55 0.60 0.70 0.80 0.90 -> 5/10.
		{"BPCERAt(4)", func() (liveness.PADMetrics, error) { return e.BPCERAt(4) },
			metrics(0.45, 1.0/6, 0.25, 0.25, "screen", 0.5)},
		// BPCER20: floor(6/20) = floor(4/20) = 0 misses -> t = lowest attack score 0.15;
		// APCER 0 everywhere (worst: first species by name); bona fide 0.20..0.90 -> 8/10.
		{"BPCERAt(20)", func() (liveness.PADMetrics, error) { return e.BPCERAt(20) },
			metrics(0.15, 0, 0, 0, "print", 0.8)},
		// BPCER100: as BPCER20 with so few samples.
		{"BPCERAt(100)", func() (liveness.PADMetrics, error) { return e.BPCERAt(100) },
			metrics(0.15, 0, 0, 0, "print", 0.8)},
		// APCER <= 1/3: print m = 2 (2/6 <= 1/3) -> 0.65; screen m = 1 (2/4 > 1/3) -> 0.45.
		{"ThresholdForAPCER(1/3)", func() (liveness.PADMetrics, error) { return e.ThresholdForAPCER(1.0 / 3) },
			metrics(0.45, 1.0/6, 0.25, 0.25, "screen", 0.5)},
		// APCER <= 0.5: print m = 3 -> 0.75; screen m = 2 -> 0.60; t = 0.60, as At(0.6).
		{"ThresholdForAPCER(0.5)", func() (liveness.PADMetrics, error) { return e.ThresholdForAPCER(0.5) },
			metrics(0.6, 2.0/6, 0.5, 0.5, "screen", 0.4)},
		// APCER <= 0: every attack caught: t = 0.15, as BPCER20.
		{"ThresholdForAPCER(0)", func() (liveness.PADMetrics, error) { return e.ThresholdForAPCER(0) },
			metrics(0.15, 0, 0, 0, "print", 0.8)},
		// BPCER <= 0.2: 2 of 10 bona fide may be rejected, so the 8 lowest (up to 0.70) must
		// be below t: t = the float just above 0.70. print misses 0.35 0.50 0.65 -> 3/6;
		// screen 0.15 0.45 0.60 -> 3/4, the worst; bona fide 0.80 0.90 -> 2/10.
		{"ThresholdForBPCER(0.2)", func() (liveness.PADMetrics, error) { return e.ThresholdForBPCER(0.2) },
			metrics(above(0.70), 0.5, 0.75, 0.75, "screen", 0.2)},
		// BPCER <= 0: t just above 0.90; print misses all but 0.95 -> 5/6; screen all -> 1.
		{"ThresholdForBPCER(0)", func() (liveness.PADMetrics, error) { return e.ThresholdForBPCER(0) },
			metrics(above(0.90), 5.0/6, 1, 1, "screen", 0)},
		// BPCER <= 1: anything goes; the lowest threshold -Inf catches every attack.
		{"ThresholdForBPCER(1)", func() (liveness.PADMetrics, error) { return e.ThresholdForBPCER(1) },
			metrics(math.Inf(-1), 0, 0, 0, "print", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestPADInvalid(t *testing.T) {
	mod := func(f func(*liveness.PADData)) liveness.PADData {
		d := padData()
		f(&d)
		return d
	}
	for name, d := range map[string]liveness.PADData{
		"no bona fide":  mod(func(d *liveness.PADData) { d.BonaFide = nil }),
		"no species":    mod(func(d *liveness.PADData) { d.Attacks = nil }),
		"empty species": mod(func(d *liveness.PADData) { d.Attacks["mask"] = nil }),
		"unnamed":       mod(func(d *liveness.PADData) { d.Attacks[""] = []float64{0.5} }),
		"NaN":           mod(func(d *liveness.PADData) { d.BonaFide[3] = math.NaN() }),
		"Inf":           mod(func(d *liveness.PADData) { d.Attacks["print"][0] = math.Inf(1) }),
	} {
		if _, err := liveness.NewPADEvaluation(d); !errors.Is(err, liveness.ErrPADData) {
			t.Errorf("%s: error = %v, want ErrPADData", name, err)
		}
	}
	e, err := liveness.NewPADEvaluation(padData())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.At(math.NaN()); !errors.Is(err, liveness.ErrPADData) {
		t.Errorf("At(NaN) error = %v, want ErrPADData", err)
	}
	if _, err := e.BPCERAt(1); !errors.Is(err, liveness.ErrPADData) {
		t.Errorf("BPCERAt(1): %v", err)
	}
	for _, a := range []float64{-0.1, 1, math.NaN()} {
		if _, err := e.ThresholdForAPCER(a); !errors.Is(err, liveness.ErrPADData) {
			t.Errorf("ThresholdForAPCER(%v): %v", a, err)
		}
		if a != 1 {
			if _, err := e.ThresholdForBPCER(a); !errors.Is(err, liveness.ErrPADData) {
				t.Errorf("ThresholdForBPCER(%v): %v", a, err)
			}
		}
	}
}

// TestPADInputNotModified checks that the caller's slices are copied, not sorted in place.
func TestPADInputNotModified(t *testing.T) {
	d := padData()
	want := append([]float64(nil), d.BonaFide...)
	if _, err := liveness.NewPADEvaluation(d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, d.BonaFide); diff != "" {
		t.Errorf("input modified (-want +got):\n%s", diff)
	}
}
