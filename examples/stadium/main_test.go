package main

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify/idcard"
)

var (
	scenarioLine = regexp.MustCompile(`^\s*(\d+)\. `)
	resultLine   = regexp.MustCompile(`^\s+gate (\w): (?:ACCEPTED|REFUSED\s+\((\w+)\))`)
	bothLine     = regexp.MustCompile(`^\s+gates A\+B: (\d+) accepted, (\d+) refused as replayed$`)
	fullIDNumber = regexp.MustCompile(`\d{17}[\dX]`)
)

// outcomes extracts "<scenario> <gate> <result>" from the demo's output, where result is
// "accepted" or the refusal reason.
func outcomes(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	n := ""
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		if m := scenarioLine.FindStringSubmatch(line); m != nil {
			n = m[1]
			continue
		}
		if m := resultLine.FindStringSubmatch(line); m != nil {
			reason := m[2]
			if reason == "" {
				reason = "accepted"
			}
			got = append(got, n+" "+m[1]+" "+reason)
			continue
		}
		if m := bothLine.FindStringSubmatch(line); m != nil {
			got = append(got, n+" A+B "+m[1]+" accepted "+m[2]+" replayed")
		}
	}
	return got
}

func TestRun(t *testing.T) {
	want := []string{
		"1 A accepted",
		"2 A replayed",
		"3 B replayed",
		"4 B ticket_already_used",
		"5 A wrong_purpose",
		"6 A expired",
		"7 A not_yet_valid",
		"8 A not_authentic",
		"9 A accepted",
		"10 B wrong_event",
		"11 A+B 1 accepted 1 replayed",
	}
	// Start times at the beginning, the middle and the last instant of a window, so that
	// no scenario depends on where in its window the demo starts.
	base := time.Date(2026, 11, 23, 11, 30, 0, 0, time.UTC)
	for _, start := range []time.Time{base, base.Add(30 * time.Second), base.Add(time.Minute - time.Nanosecond)} {
		t.Run(start.Format("15:04:05.000000000"), func(t *testing.T) {
			var buf bytes.Buffer
			// Seeded so that the synthetic people are the same on every run.
			err := run(&buf, config{Start: start, Rand: rand.NewChaCha8([32]byte{1})})
			if err != nil {
				t.Fatalf("run: %v\n%s", err, buf.String())
			}
			out := buf.String()
			if diff := cmp.Diff(want, outcomes(t, out)); diff != "" {
				t.Errorf("run outcomes mismatch (-want +got):\n%s\n%s", diff, out)
			}
			if !strings.Contains(out, "all scenarios behaved as expected") {
				t.Errorf("run output lacks the final verdict:\n%s", out)
			}
			// Personal data is printed masked only: no full ID number, no full name.
			if m := fullIDNumber.FindString(out); m != "" {
				t.Errorf("output contains a full ID number %q", m)
			}
			for _, name := range []string{"王建国", "李秀英", "陈志强", "赵丽娜"} {
				if strings.Contains(out, name) {
					t.Errorf("output contains the full name %q", name)
				}
			}
		})
	}
}

func TestRunShowQR(t *testing.T) {
	var buf bytes.Buffer
	err := run(&buf, config{Start: time.Date(2026, 11, 23, 11, 30, 0, 0, time.UTC), Rand: rand.NewChaCha8([32]byte{2}), ShowQR: true})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if got := strings.Count(buf.String(), "█"); got == 0 {
		t.Errorf("run with ShowQR drew no QR symbol:\n%s", buf.String())
	}
}

// TestAdmit attacks the gate's ticket check with codes that opened fine but whose
// ticket binding does not admit their bearer.
func TestAdmit(t *testing.T) {
	now := time.Date(2026, 11, 23, 11, 30, 0, 0, time.UTC)
	num := func(s string) idcard.Number {
		t.Helper()
		n, err := idcard.Parse(s, now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Generated with idcard.Generate and a fixed seed; synthetic.
	holder := person{name: "王建国", number: num(mustGenerate(t, "110105"))}
	other := person{name: "王建国", number: num(mustGenerate(t, "310104"))}
	const gateEvent = 20261123
	newOffice := func() *ticketOffice {
		o := &ticketOffice{tickets: map[string]*ticket{}}
		o.sell("T-1", event{ID: gateEvent}, "A1", holder)
		o.sell("T-2", event{ID: gateEvent + 7}, "A2", holder)
		return o
	}
	claims := func(p person, ev uint32, ref string) qrtoken.Claims {
		return qrtoken.Claims{Name: p.name, MaskedIDNumber: p.number.String(), EventID: ev, Ticket: ref}
	}
	tests := []struct {
		name   string
		claims qrtoken.Claims
		twice  bool
		want   error
	}{
		{"holder", claims(holder, gateEvent, "T-1"), false, nil},
		{"unknown ticket", claims(holder, gateEvent, "T-9"), false, errUnknownTicket},
		{"code for another event", claims(holder, gateEvent+1, "T-1"), false, errWrongEvent},
		{"ticket of another event under this event's ID", claims(holder, gateEvent, "T-2"), false, errWrongEvent},
		{"same name, other number", claims(other, gateEvent, "T-1"), false, errHolderMismatch},
		{"other name, same number", claims(person{name: "王建华", number: holder.number}, gateEvent, "T-1"), false, errHolderMismatch},
		{"second entry", claims(holder, gateEvent, "T-1"), true, errAlreadyAdmitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOffice()
			if tt.twice {
				if _, err := o.admit(tt.claims, gateEvent, now); err != nil {
					t.Fatalf("first admit: %v", err)
				}
			}
			_, err := o.admit(tt.claims, gateEvent, now)
			if !errors.Is(err, tt.want) {
				t.Errorf("admit(%v) = %v, want %v", tt.claims, err, tt.want)
			}
		})
	}
}

func mustGenerate(t *testing.T, region string) string {
	t.Helper()
	s, err := idcard.Generate(rand.NewChaCha8([32]byte{3}), idcard.GenOptions{Region: region})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
