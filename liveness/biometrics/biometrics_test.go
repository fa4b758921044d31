package biometrics_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/liveness/biometrics"
)

// The hand-computed example of the tests: five mated and five non-mated comparisons.
// FMR(t) = #{impostor ≥ t}/5 and FNMR(t) = #{genuine < t}/5 (ISO/IEC 19795-1:2021,
// definitions of false match rate and false non-match rate, with "match" meaning
// score ≥ threshold).
var (
	genuine  = []float64{0.9, 0.2, 0.8, 0.6, 0.5} // unsorted on purpose
	impostor = []float64{0.1, 0.7, 0.3, 0.2, 0.4}
)

func newV(t *testing.T) *biometrics.Verification {
	t.Helper()
	v, err := biometrics.NewVerification(genuine, impostor)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRatesAt(t *testing.T) {
	v := newV(t)
	tests := []struct {
		t    float64
		want biometrics.Rates
	}{
		// t = 0.5: impostor 0.7 matches (1/5); genuine 0.2 does not (1/5). 0.5 itself
		// is a match: the threshold is inclusive.
		{0.5, biometrics.Rates{Threshold: 0.5, FMR: 0.2, FalseMatches: 1, Impostor: 5, FNMR: 0.2, FalseNonMatches: 1, Genuine: 5}},
		// t = 0.65: impostor 0.7 (1/5); genuine 0.2, 0.5, 0.6 miss (3/5).
		{0.65, biometrics.Rates{Threshold: 0.65, FMR: 0.2, FalseMatches: 1, Impostor: 5, FNMR: 0.6, FalseNonMatches: 3, Genuine: 5}},
		// t = 0.75: no impostor (0/5); genuine 0.2, 0.5, 0.6 (3/5).
		{0.75, biometrics.Rates{Threshold: 0.75, FMR: 0, Impostor: 5, FNMR: 0.6, FalseNonMatches: 3, Genuine: 5}},
		// t = 0.2: impostors 0.2, 0.3, 0.4, 0.7 (4/5); no genuine below 0.2.
		{0.2, biometrics.Rates{Threshold: 0.2, FMR: 0.8, FalseMatches: 4, Impostor: 5, Genuine: 5}},
		{math.Inf(1), biometrics.Rates{Threshold: math.Inf(1), Impostor: 5, FNMR: 1, FalseNonMatches: 5, Genuine: 5}},
	}
	for _, tt := range tests {
		got, err := v.At(tt.t)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("At(%v) mismatch (-want +got):\n%s", tt.t, diff)
		}
	}
	if _, err := v.At(math.NaN()); !errors.Is(err, biometrics.ErrInvalidData) {
		t.Errorf("At(NaN) = %v, want ErrInvalidData", err)
	}
}

func TestThresholdForFMR(t *testing.T) {
	v := newV(t)
	// Target 0.2 allows one false match of five: the threshold is just above the
	// fourth-lowest impostor score (0.4); FNMR counts genuine 0.2 only.
	got, err := v.ThresholdForFMR(0.2)
	if err != nil {
		t.Fatal(err)
	}
	want := biometrics.Rates{Threshold: math.Nextafter(0.4, 1), FMR: 0.2, FalseMatches: 1, Impostor: 5, FNMR: 0.2, FalseNonMatches: 1, Genuine: 5}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ThresholdForFMR(0.2) mismatch (-want +got):\n%s", diff)
	}
	// 0.39 allows one too (1/5 = 0.2 > 0.39? no: 0.2 <= 0.39, 2/5 = 0.4 > 0.39).
	if got2, _ := v.ThresholdForFMR(0.39); got2 != got {
		t.Errorf("ThresholdForFMR(0.39) = %+v, want %+v", got2, got)
	}
	// A target below 1/5 cannot be resolved with five impostor comparisons.
	for _, bad := range []float64{0.19, 0, -1, 1, math.NaN(), biometrics.MaxFMR} {
		if _, err := v.ThresholdForFMR(bad); !errors.Is(err, biometrics.ErrInvalidData) {
			t.Errorf("ThresholdForFMR(%v) = %v, want ErrInvalidData", bad, err)
		}
	}
}

// TestFNMRAtSP80063A4 builds 10,000 impostor scores of which exactly one reaches 0.9 and
// 100 genuine scores of which exactly one is below it: FMR = 1:10,000 and FNMR = 1:100
// at the threshold, which meets §3.11 exactly; one more false non-match does not.
func TestFNMRAtSP80063A4(t *testing.T) {
	imp := make([]float64, 10_000)
	for i := range imp {
		imp[i] = 0.5 * float64(i) / 10_000 // all below 0.5
	}
	imp[0] = 0.95
	gen := make([]float64, 100)
	for i := range gen {
		gen[i] = 0.97
	}
	gen[0] = 0.3
	v, err := biometrics.NewVerification(gen, imp)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.ThresholdForFMR(biometrics.MaxFMR)
	if err != nil {
		t.Fatal(err)
	}
	// One false match allowed: threshold just above the second-highest impostor score.
	if r.FalseMatches != 1 || r.FalseNonMatches != 1 || r.FMR != 1e-4 || r.FNMR != 1e-2 || !r.Meets() {
		t.Errorf("at FMR 1:10,000: %+v, meets %v", r, r.Meets())
	}
	gen[1] = 0.3
	v, _ = biometrics.NewVerification(gen, imp)
	if r, _ := v.ThresholdForFMR(biometrics.MaxFMR); r.FNMR != 0.02 || r.Meets() {
		t.Errorf("two false non-matches: %+v, meets %v", r, r.Meets())
	}
}

func TestDET(t *testing.T) {
	v := newV(t)
	det := v.DET()
	// Distinct scores 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9, plus just above 0.9.
	type pt struct{ FM, FNM int }
	var got []pt
	for _, r := range det {
		got = append(got, pt{r.FalseMatches, r.FalseNonMatches})
	}
	want := []pt{{5, 0}, {4, 0}, {3, 1}, {2, 1}, {1, 1}, {1, 2}, {1, 3}, {0, 3}, {0, 4}, {0, 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DET mismatch (-want +got):\n%s", diff)
	}
}

func TestNewVerificationRefuses(t *testing.T) {
	for name, in := range map[string][2][]float64{
		"no genuine":       {nil, impostor},
		"no impostor":      {genuine, {}},
		"NaN genuine":      {{0.5, math.NaN()}, impostor},
		"infinite":         {genuine, {math.Inf(-1)}},
		"NaN impostor":     {genuine, {math.NaN()}},
		"infinite genuine": {{math.Inf(1)}, impostor},
	} {
		if _, err := biometrics.NewVerification(in[0], in[1]); !errors.Is(err, biometrics.ErrInvalidData) {
			t.Errorf("NewVerification(%s) = %v, want ErrInvalidData", name, err)
		}
	}
}

// scoresWith returns n genuine scores of which miss are below 0.5, and n impostor
// scores of which hits reach 0.5.
func scoresWith(n, miss, hits int) biometrics.Scores {
	s := biometrics.Scores{Genuine: make([]float64, n), Impostor: make([]float64, n)}
	for i := range n {
		s.Genuine[i], s.Impostor[i] = 0.9, 0.1
		if i < miss {
			s.Genuine[i] = 0.2
		}
		if i < hits {
			s.Impostor[i] = 0.6
		}
	}
	return s
}

// TestDemographics checks the 25% rule both ways, at t = 0.5.
func TestDemographics(t *testing.T) {
	approx := cmpopts.EquateApprox(0, 1e-12)
	tests := []struct {
		name   string
		groups map[string]biometrics.Scores
		// FNMR ratios and FMR ratios per group, in group order, and the verdict.
		fnmr, fmr []float64
		within    bool
	}{
		// A: 2/20 = 0.10, B: 3/20 = 0.15, whole 5/40 = 0.125; B/whole = 1.2 ≤ 1.25.
		{"FNMR 20% worse: within", map[string]biometrics.Scores{"A": scoresWith(20, 2, 2), "B": scoresWith(20, 3, 2)},
			[]float64{0.8, 1.2}, []float64{1, 1}, true},
		// A: 1/20 = 0.05, B: 4/20 = 0.20, whole 5/40 = 0.125; B/whole = 1.6 > 1.25.
		{"FNMR 60% worse: outside", map[string]biometrics.Scores{"A": scoresWith(20, 1, 2), "B": scoresWith(20, 4, 2)},
			[]float64{0.4, 1.6}, []float64{1, 1}, false},
		// FMR the same way: B's 3/20 against the whole's 5/40.
		{"FMR 20% worse: within", map[string]biometrics.Scores{"A": scoresWith(20, 1, 2), "B": scoresWith(20, 1, 3)},
			[]float64{1, 1}, []float64{0.8, 1.2}, true},
		{"FMR 60% worse: outside", map[string]biometrics.Scores{"A": scoresWith(20, 1, 1), "B": scoresWith(20, 1, 4)},
			[]float64{1, 1}, []float64{0.4, 1.6}, false},
		// No errors anywhere: every group is as good as the whole.
		{"no errors anywhere", map[string]biometrics.Scores{"A": scoresWith(20, 0, 0), "B": scoresWith(20, 0, 0)},
			[]float64{1, 1}, []float64{1, 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := biometrics.Demographics(tt.groups, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			var fnmr, fmr []float64
			for _, g := range r.Groups {
				fnmr, fmr = append(fnmr, g.FNMRRatio), append(fmr, g.FMRRatio)
			}
			if diff := cmp.Diff(tt.fnmr, fnmr, approx); diff != "" {
				t.Errorf("FNMR ratios (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.fmr, fmr, approx); diff != "" {
				t.Errorf("FMR ratios (-want +got):\n%s", diff)
			}
			if r.Within != tt.within {
				t.Errorf("Within = %v, want %v", r.Within, tt.within)
			}
		})
	}
	if _, err := biometrics.Demographics(map[string]biometrics.Scores{"A": scoresWith(5, 0, 0)}, 0.5); !errors.Is(err, biometrics.ErrInvalidData) {
		t.Errorf("one group: %v", err)
	}
	if _, err := biometrics.Demographics(map[string]biometrics.Scores{"A": scoresWith(5, 0, 0), "B": scoresWith(5, 0, 0)}, math.NaN()); !errors.Is(err, biometrics.ErrInvalidData) {
		t.Errorf("NaN threshold: %v", err)
	}
	if _, err := biometrics.Demographics(map[string]biometrics.Scores{"A": scoresWith(5, 0, 0), "B": {Genuine: []float64{1}}}, 0.5); !errors.Is(err, biometrics.ErrInvalidData) {
		t.Errorf("group without impostor scores: %v", err)
	}
}

// TestIAPAR: an attack is accepted when PAD < 0.5 (classified bona fide) and the match
// score ≥ 0.6. Print: 1 of 10 accepted (0.1, not below 0.07); screen: 1 of 20 (0.05).
func TestIAPAR(t *testing.T) {
	trials := func(n, accepted, padOnly, matchOnly int) []biometrics.AttackTrial {
		out := make([]biometrics.AttackTrial, n)
		for i := range out {
			switch {
			case i < accepted:
				out[i] = biometrics.AttackTrial{PAD: 0.1, Match: 0.9} // fooled both
			case i < accepted+padOnly:
				out[i] = biometrics.AttackTrial{PAD: 0.1, Match: 0.3} // fooled PAD, not the matcher
			case i < accepted+padOnly+matchOnly:
				out[i] = biometrics.AttackTrial{PAD: 0.8, Match: 0.9} // caught by PAD
			default:
				out[i] = biometrics.AttackTrial{PAD: 0.9, Match: 0.1}
			}
		}
		return out
	}
	r, err := biometrics.IAPAR(map[string][]biometrics.AttackTrial{
		"print": trials(10, 1, 2, 3), "screen": trials(20, 1, 5, 5),
	}, 0.5, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	want := biometrics.IAPARReport{PADThreshold: 0.5, MatchThreshold: 0.6,
		BySpecies: map[string]float64{"print": 0.1, "screen": 0.05}, Max: 0.1, Worst: "print", Meets: false}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("IAPAR mismatch (-want +got):\n%s", diff)
	}
	r, err = biometrics.IAPAR(map[string][]biometrics.AttackTrial{"screen": trials(20, 1, 5, 5)}, 0.5, 0.6)
	if err != nil || !r.Meets || r.Max != 0.05 {
		t.Errorf("screen only: %+v, %v; want IAPAR 0.05, meets", r, err)
	}
	for name, in := range map[string]map[string][]biometrics.AttackTrial{
		"none":      {},
		"empty":     {"print": nil},
		"unnamed":   {"": trials(2, 0, 0, 0)},
		"NaN score": {"print": {{PAD: math.NaN(), Match: 0.5}}},
		"inf match": {"print": {{PAD: 0.5, Match: math.Inf(1)}}},
	} {
		if _, err := biometrics.IAPAR(in, 0.5, 0.6); !errors.Is(err, biometrics.ErrInvalidData) {
			t.Errorf("IAPAR(%s) = %v, want ErrInvalidData", name, err)
		}
	}
	if _, err := biometrics.IAPAR(map[string][]biometrics.AttackTrial{"print": trials(2, 0, 0, 0)}, math.NaN(), 0.6); !errors.Is(err, biometrics.ErrInvalidData) {
		t.Errorf("NaN threshold: %v", err)
	}
}

func TestNormalDeviate(t *testing.T) {
	// Φ⁻¹ of tabulated probabilities (standard normal table).
	for p, want := range map[float64]float64{0.5: 0, 0.975: 1.959963984540054, 0.01: -2.326347874040841, 1e-4: -3.719016485455709} {
		if got := biometrics.NormalDeviate(p); math.Abs(got-want) > 1e-9 {
			t.Errorf("NormalDeviate(%v) = %v, want %v", p, got, want)
		}
	}
}

func TestWriteDETSVG(t *testing.T) {
	v := newV(t)
	var b bytes.Buffer
	if err := biometrics.WriteDETSVG(&b, []biometrics.DETCurve{{Label: "demo <v1> & co", Points: v.DET()}}); err != nil {
		t.Fatal(err)
	}
	// Well-formed XML, the label escaped, one polyline of the distinct points.
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	polylines := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("SVG is not well-formed: %v", err)
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polyline" {
			polylines++
			for _, a := range se.Attr {
				// Rates above 50% are drawn on the edge, where points that coincide are
				// drawn once: FMR 1 and 0.8 at FNMR 0 meet, as do FNMR 0.6 (FMR 0), 0.8
				// and 1; seven of the ten points remain.
				if a.Name.Local == "points" && len(strings.Fields(a.Value)) != 7 {
					t.Errorf("polyline has %d points, want 7", len(strings.Fields(a.Value)))
				}
			}
		}
	}
	if polylines != 1 || !strings.Contains(b.String(), "demo &lt;v1&gt; &amp; co") {
		t.Errorf("%d polylines; label escaped: %v", polylines, strings.Contains(b.String(), "&lt;v1&gt;"))
	}
	for name, c := range map[string][]biometrics.DETCurve{
		"none":     nil,
		"empty":    {{Label: "x"}},
		"NaN rate": {{Label: "x", Points: []biometrics.Rates{{FMR: math.NaN()}}}},
	} {
		if err := biometrics.WriteDETSVG(&b, c); !errors.Is(err, biometrics.ErrInvalidData) {
			t.Errorf("WriteDETSVG(%s) = %v, want ErrInvalidData", name, err)
		}
	}
}

func TestReadScores(t *testing.T) {
	got, err := biometrics.ReadScores(strings.NewReader("# genuine\n0.5\n\n  1e-3 \n-2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{0.5, 1e-3, -2}, got); diff != "" {
		t.Errorf("ReadScores mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "# only a comment\n", "0.5\nNaN\n", "Inf\n", "0.5x\n", strings.Repeat("1", 65) + "\n", strings.Repeat("1", 200) + "\n"} {
		if _, err := biometrics.ReadScores(strings.NewReader(bad)); !errors.Is(err, biometrics.ErrInvalidData) {
			t.Errorf("ReadScores(%.20q) = %v, want ErrInvalidData", bad, err)
		}
	}
}

func FuzzReadScores(f *testing.F) {
	f.Add("0.5\n0.25\n# c\n")
	f.Add("1e308\n-0\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := biometrics.ReadScores(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, biometrics.ErrInvalidData) {
				t.Fatalf("error %v does not match ErrInvalidData", err)
			}
			return
		}
		// What was read is usable: a verification over it never refuses.
		if _, err := biometrics.NewVerification(s, s); err != nil {
			t.Fatalf("scores read but refused: %v", err)
		}
	})
}
