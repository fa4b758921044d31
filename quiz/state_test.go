package quiz

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/store"
)

func testState() *state {
	s := &state{begin: 1234567890123, subject: "subject-1"}
	for i := range s.key {
		s.key[i] = byte(i)
	}
	for i := range 4 {
		q := stateQuestion{options: 5, weight: i + 1}
		q.answer[0] = byte(i)
		s.questions = append(s.questions, q)
	}
	return s
}

func TestStateRoundTrip(t *testing.T) {
	want := testState()
	got, err := decodeState(want.encode())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(state{}, stateQuestion{})); diff != "" {
		t.Errorf("decodeState(encode()) mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeStateRejects(t *testing.T) {
	good := testState().encode()
	tests := map[string][]byte{
		"empty":            nil,
		"version":          append([]byte{1}, good[1:]...),
		"truncated":        good[:len(good)-1],
		"trailing":         append(bytes.Clone(good), 0),
		"zero subject":     func() []byte { b := bytes.Clone(good); b[41], b[42] = 0, 0; return b }(),
		"no questions":     func() []byte { s := testState(); s.questions = nil; return s.encode() }(),
		"one option":       func() []byte { s := testState(); s.questions[0].options = 1; return s.encode() }(),
		"zero weight":      func() []byte { s := testState(); s.questions[0].weight = 0; return s.encode() }(),
		"too many options": func() []byte { s := testState(); s.questions[0].options = maxOptions + 2; return s.encode() }(),
		"subject too long": func() []byte { s := testState(); s.subject = strings.Repeat("x", maxSubject+1); return s.encode() }(),
		"check ID cut": func() []byte {
			s := testState()
			s.checkID = "abc"
			b := s.encode()
			return b[:1+32+8+2+len(s.subject)+3]
		}(),
	}
	for name, b := range tests {
		if _, err := decodeState(b); !errors.Is(err, errState) {
			t.Errorf("%s: decodeState error = %v, want errState", name, err)
		}
	}
}

// FuzzDecodeState: any payload decodes or fails with errState, never panics, and what
// decodes encodes back to the same bytes (one encoding per state).
func FuzzDecodeState(f *testing.F) {
	f.Add(testState().encode())
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add(testState().encode()[:50])
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeState(b)
		if err != nil {
			if !errors.Is(err, errState) {
				t.Fatalf("decodeState error %v is not errState", err)
			}
			return
		}
		if got := s.encode(); !bytes.Equal(got, b) {
			t.Fatalf("encode(decodeState(b)) = %x, want %x", got, b)
		}
	})
}

func testResult() *Result {
	return &Result{subject: "subject-1", checkID: "check-1", passed: true, finished: time.Unix(0, 1234567890123).UTC()}
}

func TestResultRoundTrip(t *testing.T) {
	for _, want := range []*Result{testResult(), {subject: "s", finished: time.Unix(0, 0).UTC()}} {
		b, err := want.encode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeResult(b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Result{})); diff != "" {
			t.Errorf("decodeResult(encode()) mismatch (-want +got):\n%s", diff)
		}
	}
}

func TestDecodeResultRejects(t *testing.T) {
	good, err := testResult().encode()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"empty":        nil,
		"version":      append([]byte{2}, good[1:]...),
		"outcome":      func() []byte { b := bytes.Clone(good); b[1] = 2; return b }(),
		"truncated":    good[:len(good)-1],
		"trailing":     append(bytes.Clone(good), 0),
		"zero subject": func() []byte { b := bytes.Clone(good); b[10], b[11] = 0, 0; return b }(),
		"fixed part":   good[:resultFixed-1],
		"no check ID":  good[:resultFixed+len("subject-1")],
	}
	for name, b := range tests {
		if _, err := decodeResult(b); !errors.Is(err, errResult) {
			t.Errorf("%s: decodeResult error = %v, want errResult", name, err)
		}
	}
}

// FuzzDecodeResult: any payload decodes or fails with errResult, never panics, and what
// decodes encodes back to the same bytes.
func FuzzDecodeResult(f *testing.F) {
	good, _ := testResult().encode()
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{1, 1})
	f.Add(good[:13])
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResult(b)
		if err != nil {
			if !errors.Is(err, errResult) {
				t.Fatalf("decodeResult error %v is not errResult", err)
			}
			return
		}
		got, err := r.encode()
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("encode(decodeResult(b)) = %x, %v; want %x", got, err, b)
		}
	})
}

type fixedSource map[Category][]string

func (s fixedSource) Distractors(_ context.Context, c Category, _ string, _ int) ([]string, error) {
	return s[c], nil
}

// The sealed payload holds neither option texts nor option IDs nor the answers: only the
// per-session key and MACs. Checked on the decrypted payload, as a key holder would see it.
func TestSealedStateHoldsNoAnswers(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	src := fixedSource{
		CategoryVehiclePlate: {"京C24680", "京E13579", "京F11223", "京G98765"},
		CategoryPhoneCarrier: {"中国电信", "中国广电", "京东通信", "小米移动"},
		CategoryBank:         {"中国建设银行", "中国光大银行", "中国民生银行", "北京农商银行"},
		CategoryEmployer:     {"上海明月电子有限公司", "深圳青松软件有限公司", "杭州远山数据有限公司", "广州白鹭传媒有限公司"},
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ex, err := New(Config{Keys: []store.Key{{ID: 1, Secret: secret}}, Distractors: src, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	facts := []Fact{
		{Category: CategoryVehiclePlate, Value: "京A12345"},
		{Category: CategoryPhoneCarrier, Value: "中国移动"},
		{Category: CategoryBank, Value: "中国工商银行"},
		{Category: CategoryEmployer, Value: "北京星辰科技有限公司"},
	}
	ch, err := ex.Begin(context.Background(), BeginRequest{Subject: "s", Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	payload, _, _, err := ex.sealer.Open(ch.Token, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range ch.Questions {
		for _, needle := range []string{q.ID, q.Prompt} {
			if bytes.Contains(payload, []byte(needle)) {
				t.Errorf("payload contains %q", needle)
			}
		}
		for _, o := range q.Options {
			if bytes.Contains(payload, []byte(o.ID)) || bytes.Contains(payload, []byte(o.Text)) {
				t.Errorf("payload contains option %v", o)
			}
		}
	}
	if want := 1 + 32 + 8 + 2 + 1 + 1 + 1 + 4*(3+32); len(payload) != want { // subject "s", no check ID
		t.Errorf("payload is %d bytes, want %d", len(payload), want)
	}
}

// rng.intn must be uniform, including for bounds that do not divide 2^32.
func TestRNGIntn(t *testing.T) {
	var r zeroThenCount
	g := newRNG()
	g.fill = r.fill
	for _, n := range []int{1, 2, 3, 5, 7} {
		for range 100 {
			if v := g.intn(n); v < 0 || v >= n {
				t.Fatalf("intn(%d) = %d", n, v)
			}
		}
	}
}

type zeroThenCount struct{ n byte }

func (z *zeroThenCount) fill(p []byte) {
	for i := range p {
		z.n++
		p[i] = z.n * 37
	}
}

// TestRNGIntnRejects checks the rejection itself: the 2^32 mod n lowest words must be
// skipped, or the low values would be favoured (by 2^-32 relative for small n, far more
// for large n; no statistical test sees the former).
func TestRNGIntnRejects(t *testing.T) {
	tests := []struct {
		n     int
		words []uint32
		want  int
	}{
		{3, []uint32{0, 5}, 2},                           // 2^32 mod 3 = 1: 0 is rejected
		{7, []uint32{0, 1, 2, 3, 11}, 4},                 // 2^32 mod 7 = 4: 0..3 are rejected
		{3 << 29, []uint32{1<<30 - 1, 1 << 30}, 1 << 30}, // 2^32 mod 3·2^29 = 2^30
		{1 << 31, []uint32{0x80000005}, 5},               // a power of two rejects nothing
		{5, []uint32{0xFFFFFFFF}, 0xFFFFFFFF % 5},        // the top word is accepted
	}
	for _, tt := range tests {
		buf := make([]byte, 256)
		for i, w := range tt.words {
			binary.LittleEndian.PutUint32(buf[4*i:], w)
		}
		g := newRNG()
		g.fill = func(p []byte) { copy(p, buf) }
		if got := g.intn(tt.n); got != tt.want {
			t.Errorf("intn(%d) over words %v = %d; want %d", tt.n, tt.words, got, tt.want)
		}
	}
}
