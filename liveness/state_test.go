package liveness

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testSession() *session {
	issued := time.Date(2026, 11, 23, 8, 0, 0, 123, time.UTC)
	s := &session{issued: issued, expires: issued.Add(2 * time.Minute), remaining: 4,
		subject: "subj-A", device: "dev-A", reference: "photo-1", consent: "consent-1"}
	for i := range 16 {
		s.id[i], s.nonce[i] = byte(i), byte(255-i)
	}
	for i, a := range []Action{ActionNod, ActionBlink, ActionTurnLeft} {
		s.steps = append(s.steps, Step{Action: a, Deadline: issued.Add(time.Duration(8+5*i) * time.Second), MinDuration: 250 * time.Millisecond})
	}
	return s
}

func TestSessionRoundTrip(t *testing.T) {
	s := testSession()
	got, err := unmarshalSession(s.marshal())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, got, cmp.AllowUnexported(session{})); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	s.retryAt = s.issued.Add(30 * time.Minute)
	got, err = unmarshalSession(s.marshal())
	if err != nil || !got.retryAt.Equal(s.retryAt) {
		t.Errorf("retryAt round trip: %v, %v", got, err)
	}
}

func TestSessionDecodeRejects(t *testing.T) {
	good := testSession().marshal()
	mods := map[string]func(*session){
		"two steps":         func(s *session) { s.steps = s.steps[:2] },
		"no subject":        func(s *session) { s.subject = "" },
		"no device":         func(s *session) { s.device = "" },
		"no consent":        func(s *session) { s.consent = "" },
		"expires at issue":  func(s *session) { s.expires = s.issued },
		"bad action":        func(s *session) { s.steps[1].Action = "Nod" },
		"zero min duration": func(s *session) { s.steps[0].MinDuration = 0 },
		"deadline > expiry": func(s *session) { s.steps[2].Deadline = s.expires.Add(1) },
		"deadline < issue":  func(s *session) { s.steps[0].Deadline = s.issued.Add(-1) },
	}
	for name, mod := range mods {
		s := testSession()
		mod(s)
		if _, err := unmarshalSession(s.marshal()); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	for _, b := range [][]byte{nil, {2}, good[:len(good)-1], append(bytes.Clone(good), 0)} {
		if _, err := unmarshalSession(b); err == nil {
			t.Errorf("decoded %x", b)
		}
	}
}

// FuzzDecodeState: the sealed-state decoder never panics, and whatever it accepts
// re-encodes to the same bytes (one encoding per state).
func FuzzDecodeState(f *testing.F) {
	f.Add(testSession().marshal())
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := unmarshalSession(b)
		if err != nil {
			return
		}
		if again := s.marshal(); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs:\n%x\n%x", b, again)
		}
	})
}
