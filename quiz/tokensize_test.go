package quiz

import (
	"context"
	"crypto/rand"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// TestLargestTokenFits: the largest state (a 256-byte subject, a 255-byte check ID, 20
// questions) seals into a token within maxTokenLen, so the cap never refuses a token
// Begin issued. The state's size does not depend on the option texts or the number of
// options.
func TestLargestTokenFits(t *testing.T) {
	st := &state{begin: time.Now().UnixNano(), subject: strings.Repeat("s", maxSubject), checkID: strings.Repeat("c", maxCheckID)}
	for range maxQuestions {
		st.questions = append(st.questions, stateQuestion{options: maxOptions + 1, weight: maxWeight})
	}
	s, err := seal.New(Purpose, seal.Key{ID: 1<<32 - 1, Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Seal(st.encode(), time.Now().Add(time.Hour), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > maxTokenLen {
		t.Errorf("largest token is %d characters, cap is %d", len(tok), maxTokenLen)
	}
	t.Logf("largest token: %d characters", len(tok))
}

// TestLargestResultFits: the largest result (a 256-byte subject, a 255-byte check ID)
// seals into a token within maxResultTokenLen, so OpenResult never refuses a token
// SealResult made.
func TestLargestResultFits(t *testing.T) {
	ex, err := New(Config{
		Keys:        []store.Key{{ID: 1<<32 - 1, Secret: make([]byte, 32)}},
		Distractors: NewMemoryDistractors(nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{subject: strings.Repeat("s", maxSubject), checkID: strings.Repeat("c", maxCheckID), passed: true, finished: time.Now()}
	tok, err := ex.SealResult(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > maxResultTokenLen {
		t.Errorf("largest result token is %d characters, cap is %d", len(tok), maxResultTokenLen)
	}
	if _, err := ex.OpenResult(tok); err != nil {
		t.Errorf("OpenResult(largest): %v", err)
	}
	t.Logf("largest result token: %d characters", len(tok))
	r.checkID += "c"
	if _, err := ex.SealResult(r); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SealResult with a 256-byte check ID = %v, want ErrInvalidArgument", err)
	}
}

// TestHugeTokenRefusedCheaply: a token far longer than any Begin issues is refused
// before it is decoded, so it costs no allocation in proportion to its length.
func TestHugeTokenRefusedCheaply(t *testing.T) {
	ex, err := New(Config{
		Keys:        []store.Key{{ID: 1, Secret: make([]byte, 32)}},
		Distractors: NewMemoryDistractors(nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("A", 1<<20) // valid base64url, under internal/seal's own 1 MiB cap
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ex.Finish(context.Background(), FinishRequest{Token: huge})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("Finish(huge) = %v, want ErrNotAuthentic", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<10 {
		t.Errorf("Finish(huge) allocated %d bytes, want under 64 KiB", d)
	}
	runtime.ReadMemStats(&before)
	_, err = ex.OpenResult(huge)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("OpenResult(huge) = %v, want ErrNotAuthentic", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<10 {
		t.Errorf("OpenResult(huge) allocated %d bytes, want under 64 KiB", d)
	}
}
