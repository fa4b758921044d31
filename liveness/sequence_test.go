package liveness

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestAcceptable(t *testing.T) {
	tests := []struct {
		seq  []int
		n    int
		want bool
	}{
		{[]int{0, 2, 1}, 7, true},
		{[]int{3, 0, 5, 1}, 7, true},
		{[]int{0, 0, 1}, 7, false},       // immediate repeat
		{[]int{0, 1, 1}, 7, false},       // immediate repeat
		{[]int{2, 2, 2}, 7, false},       // all the same
		{[]int{0, 1, 0}, 7, false},       // A-B-A: two distinct
		{[]int{0, 1, 0, 1, 0}, 7, false}, // alternation
		{[]int{0, 1, 2}, 7, false},       // rotation in configuration order
		{[]int{5, 6, 0, 1}, 7, false},    // rotation wrapping around
		{[]int{2, 1, 0}, 7, false},       // reverse rotation
		{[]int{0, 2, 4, 6, 1}, 7, false}, // rotation with stride 2
		{[]int{0, 3, 6}, 7, false},       // stride 3
		{[]int{0, 1, 2, 0}, 7, true},     // not a constant stride (2 -> 0 is +5)
		{[]int{0, 1, 3}, 4, true},
		{[]int{0, 3, 2}, 4, false}, // stride -1 mod 4
		{nil, 7, false},
	}
	for _, tt := range tests {
		if got := acceptable(tt.seq, tt.n); got != tt.want {
			t.Errorf("acceptable(%v, %d) = %v, want %v", tt.seq, tt.n, got, tt.want)
		}
	}
}

// enumerate returns every acceptable sequence of length k over n actions.
func enumerate(n, k int) [][]int {
	var out [][]int
	seq := make([]int, k)
	var rec func(i int)
	rec = func(i int) {
		if i == k {
			if acceptable(seq, n) {
				out = append(out, append([]int(nil), seq...))
			}
			return
		}
		for v := range n {
			seq[i] = v
			rec(i + 1)
		}
	}
	rec(0)
	return out
}

func TestEnumerateCounts(t *testing.T) {
	// n=7, k=3: no immediate repeat and three distinct actions means all distinct:
	// 7*6*5 = 210 sequences; constant-stride ones are a, a+d, a+2d (mod 7) for 7 starts
	// and 6 strides = 42, all distinct because 7 is prime; 210 - 42 = 168.
	// n=4, k=3: 4*3*2 = 24 all-distinct; strides 1 and 3 give 4 each (stride 2 repeats
	// an action): 24 - 8 = 16.
	for _, tt := range []struct{ n, k, want int }{{7, 3, 168}, {4, 3, 16}} {
		if got := len(enumerate(tt.n, tt.k)); got != tt.want {
			t.Errorf("enumerate(%d, %d) has %d sequences, want %d", tt.n, tt.k, got, tt.want)
		}
	}
}

// chiSquareSF is the survival function of the chi-square distribution with df degrees of
// freedom: Q(df/2, x/2), the regularised upper incomplete gamma function, by the series
// and continued fraction of Numerical Recipes (3rd ed., §6.2).
func chiSquareSF(x float64, df int) float64 {
	a, x := float64(df)/2, x/2
	if x <= 0 {
		return 1
	}
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		// Series for P(a, x).
		sum, term := 1/a, 1/a
		for n := 1; n < 10000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return 1 - sum*math.Exp(-x+a*math.Log(x)-lg)
	}
	// Lentz's continued fraction for Q(a, x).
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return math.Exp(-x+a*math.Log(x)-lg) * h
}

func TestChiSquareSF(t *testing.T) {
	// Critical values from the NIST/SEMATECH e-Handbook of Statistical Methods,
	// §1.3.6.7.4 "Critical Values of the Chi-Square Distribution" (upper tail).
	tests := []struct {
		x    float64
		df   int
		want float64
	}{
		{3.841, 1, 0.05},
		{6.635, 1, 0.01},
		{18.307, 10, 0.05},
		{23.209, 10, 0.01},
		{29.588, 10, 0.001},
		{124.342, 100, 0.05},
	}
	for _, tt := range tests {
		if got := chiSquareSF(tt.x, tt.df); math.Abs(got-tt.want)/tt.want > 2e-3 {
			t.Errorf("chiSquareSF(%v, %d) = %v, want %v", tt.x, tt.df, got, tt.want)
		}
	}
}

// chiSquare returns the statistic and p-value of observed counts against expected ones.
func chiSquare(observed []int, expected []float64) (stat, p float64) {
	for i, o := range observed {
		d := float64(o) - expected[i]
		stat += d * d / expected[i]
	}
	return stat, chiSquareSF(stat, len(observed)-1)
}

// checkUniform draws samples sequences with draw and applies three chi-square tests against
// the exact distribution implied by "uniform over the acceptable sequences" (computed by
// enumeration): first action, first pair, second pair, whole sequence. Every drawn
// sequence must be acceptable.
//
// Threshold: a test fails when its p-value is below alpha = 1e-6/4, so that by the union
// bound a correct sampler fails the four together with probability below 1e-6 (the
// chi-square approximation is good here: every expected count is above 500). No fixed
// seed: the randomness is crypto/rand, as in production.
func checkUniform(n, k, samples int, draw func() ([]int, error)) error {
	const alpha = 1e-6 / 4
	all := enumerate(n, k)
	index := make(map[string]int, len(all))
	firstExp := make([]float64, n)
	pairExp := make([]float64, n*n)
	pair2Exp := make([]float64, n*n)
	for i, s := range all {
		index[fmt.Sprint(s)] = i
		firstExp[s[0]]++
		pairExp[s[0]*n+s[1]]++
		pair2Exp[s[1]*n+s[2]]++
	}
	first := make([]int, n)
	pair := make([]int, n*n)
	pair2 := make([]int, n*n)
	whole := make([]int, len(all))
	for range samples {
		s, err := draw()
		if err != nil {
			return err
		}
		i, ok := index[fmt.Sprint(s)]
		if !ok {
			return fmt.Errorf("drew unacceptable sequence %v", s)
		}
		first[s[0]]++
		pair[s[0]*n+s[1]]++
		pair2[s[1]*n+s[2]]++
		whole[i]++
	}
	scale := float64(samples) / float64(len(all))
	// Drop impossible pairs (a, a): chi-square needs positive expectations.
	possible := func(obs []int, exp []float64) ([]int, []float64, error) {
		var o []int
		var e []float64
		for i, x := range exp {
			if x > 0 {
				o, e = append(o, obs[i]), append(e, x*scale)
			} else if obs[i] != 0 {
				return nil, nil, fmt.Errorf("impossible pair %d drawn", i)
			}
		}
		return o, e, nil
	}
	pairObs, pairE, err := possible(pair, pairExp)
	if err != nil {
		return err
	}
	pair2Obs, pair2E, err := possible(pair2, pair2Exp)
	if err != nil {
		return err
	}
	wholeExp := make([]float64, len(all))
	for i := range firstExp {
		firstExp[i] *= scale
	}
	for i := range wholeExp {
		wholeExp[i] = scale
	}
	for _, c := range []struct {
		name string
		obs  []int
		exp  []float64
	}{{"first action", first, firstExp}, {"first pair", pairObs, pairE},
		{"second pair", pair2Obs, pair2E}, {"whole sequence", whole, wholeExp}} {
		if stat, p := chiSquare(c.obs, c.exp); p < alpha {
			return fmt.Errorf("%s: chi-square %.1f with %d df, p = %.3g < %.3g", c.name, stat, len(c.obs)-1, p, alpha)
		}
	}
	return nil
}

func TestSequenceUniform(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	for _, tt := range []struct{ n, k, samples int }{{7, 3, 100_000}, {4, 3, 20_000}} {
		t.Run(fmt.Sprintf("n=%d,k=%d", tt.n, tt.k), func(t *testing.T) {
			buf := make([]int, 0, tt.k)
			err := checkUniform(tt.n, tt.k, tt.samples, func() ([]int, error) {
				return drawSequence(rand.Reader, tt.n, tt.k, buf)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestSequenceUniformDetectsBias shows that the uniformity check can fail: a sampler that
// rejects half the sequences starting with action 0 (first-action frequency 1/13 instead
// of 1/7) is caught.
func TestSequenceUniformDetectsBias(t *testing.T) {
	buf := make([]int, 0, 3)
	var coin [1]byte
	err := checkUniform(7, 3, 100_000, func() ([]int, error) {
		for {
			s, err := drawSequence(rand.Reader, 7, 3, buf)
			if err != nil {
				return nil, err
			}
			rand.Read(coin[:])
			if s[0] != 0 || coin[0]&1 == 0 {
				return s, nil
			}
		}
	})
	if err == nil {
		t.Error("biased sampler passed the uniformity check")
	}
}

func TestDrawSequenceErrors(t *testing.T) {
	boom := errors.New("entropy source failed")
	if _, err := drawSequence(iotest.ErrReader(boom), 7, 3, nil); !errors.Is(err, boom) {
		t.Errorf("drawSequence with failing reader: %v", err)
	}
	// A reader of zeros always draws 0, then 1 (0 excluded), 0, ...: A-B-A, never
	// acceptable, so the draw gives up rather than loop forever.
	if _, err := drawSequence(zeros{}, 7, 3, nil); !errors.Is(err, errNoSequence) {
		t.Errorf("drawSequence with zero reader: %v, want errNoSequence", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestUniformRange(t *testing.T) {
	src := byteSource{r: rand.Reader}
	for n := 1; n <= 256; n++ {
		for range 20 {
			v, err := src.uniform(n)
			if err != nil || v < 0 || v >= n {
				t.Fatalf("uniform(%d) = %d, %v", n, v, err)
			}
		}
	}
}

// TestUniformExact feeds every byte value once and checks that uniform(n) turns them into
// exactly 256/n (rounded down) draws of each value: the 256 mod n highest bytes must be
// rejected, or the lowest values would come up once more than the others.
func TestUniformExact(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, n := range []int{2, 3, 5, 6, 7, 64, 100, 255, 256} {
		src := byteSource{r: bytes.NewReader(all)}
		counts := make([]int, n)
		for {
			v, err := src.uniform(n)
			if err != nil {
				break
			}
			counts[v]++
		}
		want := make([]int, n)
		for i := range want {
			want[i] = 256 / n
		}
		if diff := cmp.Diff(want, counts); diff != "" {
			t.Errorf("uniform(%d) over all byte values mismatch (-want +got):\n%s", n, diff)
		}
	}
}
